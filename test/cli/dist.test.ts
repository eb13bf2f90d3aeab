import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// dist/ is compiled by test/support/build.ts (vitest globalSetup) before any test runs.
const exec = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'mesh-help.js');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-dist-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );

describe('the built CLI (npm run build → dist/)', () => {
  it('runs recommend --json as plain JavaScript from another folder, finding flows/ from dist/', async () => {
    const dir = tempDir();
    const answers = join(dir, 'answers.json');
    writeFileSync(answers, JSON.stringify({ clusters: 'multi-region', pains: ['one-workload-many-clusters'] }));
    const env: NodeJS.ProcessEnv = { ...process.env, MESH_HELP_DATA_DIR: join(dir, 'data') };
    delete env.MESH_HELP_FLOWS_DIR;
    delete env.NODE_OPTIONS; // no loader from the test runner: the process runs dist/ on its own
    const { stdout, stderr } = await exec(process.execPath, [BIN, 'recommend', '--answers', answers, '--json'], {
      cwd: dir,
      env,
    });
    expect(stderr).toBe('');
    const json = JSON.parse(stdout);
    expect(json.primary).toBe('federation');
    expect(Object.keys(json).sort()).toEqual([
      'checklist',
      'complements',
      'notNow',
      'primary',
      'reasons',
      'sensitivity',
      'tools',
      'warnings',
    ]);
    expect(existsSync(join(ROOT, '.build'))).toBe(false);
  });

  it('without dist/ exits 1 and says to run npm run build, compiling nothing', async () => {
    const install = tempDir();
    mkdirSync(join(install, 'bin'));
    copyFileSync(BIN, join(install, 'bin', 'mesh-help.js'));
    const failed = await exec(process.execPath, [join(install, 'bin', 'mesh-help.js'), 'compare'], {
      cwd: install,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect((failed as { stderr: string }).stderr).toMatch(/dist.*missing.*Run `npm run build`/s);
    expect(readdirSync(install)).toEqual(['bin']);
  });

  it('imports only Node built-ins and packages from dependencies, so a production install runs it', () => {
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of jsFiles(join(ROOT, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('keeps build tools out of dependencies, builds on install, and starts from the built bin', () => {
    for (const tool of ['esbuild', 'tsx', 'typescript']) expect(pkg.dependencies).not.toHaveProperty(tool);
    expect(pkg.devDependencies).toHaveProperty('typescript');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.start).toBe('node --max-semi-space-size=4 --max-old-space-size=128 bin/mesh-help.js start');
    expect(pkg.bin['mesh-help']).toBe('bin/mesh-help.js');
    expect(readFileSync(BIN, 'utf8')).not.toMatch(/tsx|esbuild/);
  });
});

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('these tests push to a real bare repository: install git (apt-get install -y git)');
    throw err;
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-git-'));
  dirs.push(dir);
  const remote = join(dir, 'remote.git');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data'), GIT_AUTHOR_NAME: 'Alice', GIT_AUTHOR_EMAIL: 'alice@example.com' },
    stdinIsTTY: false,
    now: () => new Date('2026-11-26T12:00:00Z'),
  };
  const answers = join(dir, 'a.json');
  writeFileSync(answers, JSON.stringify({ clusters: 'one' }));
  const decide = async (title: string, extra: string[] = []) =>
    expect(await run(['interview', '--answers', answers, '--title', title, ...extra], io)).toBe(0);
  /** A fresh clone of one branch of the bare repository. */
  const checkout = (branch: string) => {
    const work = mkdtempSync(join(dir, 'clone-'));
    git(work, 'clone', '--quiet', '--branch', branch, remote, '.');
    return work;
  };
  return { dir, remote, io, out, err, decide, checkout };
}

describe('mesh-help export --git (a real bare repository)', () => {
  it('pushes one commit with the records and index to a new branch, then one more commit for a change, then nothing', async () => {
    const t = setup();
    // The remote already has a main branch with other files: the export branch starts from it and keeps them.
    const seed = mkdtempSync(join(t.dir, 'seed-'));
    git(seed, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(seed, 'app.txt'), 'the application\n');
    git(seed, 'add', '.');
    git(seed, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'app');
    git(seed, 'push', '--quiet', t.remote, 'main');

    await t.decide('Adopt a cluster mesh', ['--accept']);
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    expect(t.err).toEqual([]);
    expect(t.out.at(-1)).toMatch(
      /^Pushed [0-9a-f]{12} \(1 new record\) to mesh-help\/decisions-local; 1 record\(s\) in docs\/decisions\/\.$/,
    );
    const first = t.checkout('mesh-help/decisions-local');
    expect(readdirSync(join(first, 'docs', 'decisions')).sort()).toEqual(['0001-adopt-a-cluster-mesh.md', 'README.md']);
    expect(readFileSync(join(first, 'app.txt'), 'utf8')).toBe('the application\n');
    expect(git(first, 'log', '--format=%an <%ae>|%s', 'HEAD').trim().split('\n')).toEqual([
      'Alice <alice@example.com>|Decision records: 1 new record',
      'x <x@x>|app',
    ]);

    await t.decide('Stay on plain Kubernetes', ['--accept', '--revisits', '1']);
    expect(await run(['export', '--git', t.remote, '--path', 'adr/'], t.io)).toBe(0);
    await t.decide('Retitled later');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    expect(t.out.at(-1)).toMatch(/\(2 new records, 1 status change\) to mesh-help\/decisions-local/);
    const second = t.checkout('mesh-help/decisions-local');
    expect(readdirSync(join(second, 'docs', 'decisions')).sort()).toEqual([
      '0001-adopt-a-cluster-mesh.md',
      '0002-stay-on-plain-kubernetes.md',
      '0003-retitled-later.md',
      'README.md',
    ]);
    expect(readdirSync(join(second, 'adr')).length).toBe(3);
    expect(readFileSync(join(second, 'docs', 'decisions', '0001-adopt-a-cluster-mesh.md'), 'utf8')).toMatch(
      /^---\nstatus: superseded by ADR-0002\n/,
    );
    // Each export is one commit on top of the last: a fast-forward history.
    expect(git(second, 'rev-list', '--count', 'HEAD').trim()).toBe('4');

    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    expect(t.out.at(-1)).toBe(
      'Branch mesh-help/decisions-local already holds these records in docs/decisions/; nothing pushed.',
    );
    expect(git(t.remote, 'rev-list', '--count', 'mesh-help/decisions-local').trim()).toBe('4');
  });

  it('pushes to an empty repository and to the branch named by --branch', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', '--git', t.remote, '--branch', 'decisions'], t.io)).toBe(0);
    const work = t.checkout('decisions');
    expect(readdirSync(join(work, 'docs', 'decisions')).sort()).toEqual(['0001-adopt-a-cluster-mesh.md', 'README.md']);
  });

  it('a push that is no longer a fast-forward (someone pushed meanwhile) fails clearly and leaves their commit', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    await t.decide('Adopt a service mesh');
    // A pre-push hook (through a private global git config) pushes someone else's commit first: a real race.
    const other = t.checkout('mesh-help/decisions-local');
    writeFileSync(join(other, 'NOTE.md'), 'someone else\n');
    git(other, 'add', '.');
    git(other, '-c', 'user.name=Bob', '-c', 'user.email=b@b', 'commit', '--quiet', '-m', 'meanwhile');
    const hooks = join(t.dir, 'hooks');
    mkdirSync(hooks);
    writeFileSync(
      join(hooks, 'pre-push'),
      `#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd '${other}' && exec git push --quiet --no-verify origin HEAD:mesh-help/decisions-local\n`,
    );
    chmodSync(join(hooks, 'pre-push'), 0o755);
    const config = join(t.dir, 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${hooks}\n`);
    vi.stubEnv('GIT_CONFIG_GLOBAL', config);

    expect(await run(['export', '--git', t.remote], t.io)).toBe(1);
    expect(t.err.join('\n')).toBe(
      'mesh-help: The branch mesh-help/decisions-local changed on the remote while exporting; nothing was overwritten. Export again.',
    );
    expect(git(t.remote, 'log', '--format=%s', '-1', 'mesh-help/decisions-local').trim()).toBe('meanwhile');

    // Exporting again builds on their commit.
    vi.unstubAllEnvs();
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    const work = t.checkout('mesh-help/decisions-local');
    expect(readFileSync(join(work, 'NOTE.md'), 'utf8')).toBe('someone else\n');
    expect(readdirSync(join(work, 'docs', 'decisions'))).toContain('0002-adopt-a-service-mesh.md');
  });

  it.each([
    ['https://bob:secret@gitlab.example.com/acme/platform.git', /carries credentials/],
    ['--upload-pack=touch', /not a git remote URL/],
    ['relative/path', /a remote is an https/],
  ])('refuses the remote %s before running git', async (remote, message) => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', `--git=${remote}`], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).not.toContain('secret');
  });

  it('an unreachable remote is a clear error', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', '--git', join(t.dir, 'missing.git')], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(
      /^mesh-help: git cannot reach the remote: .*Could not read from remote repository/,
    );
  });
});

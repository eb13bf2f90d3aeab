import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { FileStore } from '../../src/store/index.js';

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
      /^Pushed [0-9a-f]{12} \(1 new record\) to mesh-help\/decisions-local; 1 record in docs\/decisions\/\.$/,
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

  it('one export of a team at a time: a running one (a lease in the team file) is waited for; an expired one is not', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const lease = async (until: string) => {
      const store = new FileStore(join(t.dir, 'data'));
      await store.update('local', (d) => {
        d.exports = { ...d.exports, lease: { id: 'slack-export', boot: 'other', until } };
      });
      await store.close();
    };
    await lease('2026-11-26T12:05:00.000Z');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(1);
    expect(t.err.at(-1)).toBe(
      "mesh-help: team local's records are being exported right now (from Slack or another mesh-help); export again once it has finished",
    );
    expect(git(t.remote, 'branch', '--list').trim()).toBe('');
    // A lease past its time was left by an export whose own deadline has ended it: the export goes ahead.
    await lease('2026-11-26T11:55:00.000Z');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    const store = new FileStore(join(t.dir, 'data'));
    expect((await store.read('local')).exports?.lease).toBeUndefined();
    await store.close();
  });

  it('an unreachable remote is a clear error', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', '--git', join(t.dir, 'missing.git')], t.io)).toBe(1);
    // A plain reason: git's own output (and its command line) is for the operator's log, not the person.
    expect(t.err.join('\n')).toBe(
      'mesh-help: There is no git repository at that remote that mesh-help can read; nothing was pushed.',
    );
  });
});

describe('mesh-help export --git never writes outside its own temporary folder', () => {
  /** A folder next to the export's temporary folders (in the system temp dir), holding files an attack would hit. */
  function canary() {
    const outside = mkdtempSync(join(tmpdir(), 'mesh-canary-'));
    dirs.push(outside);
    mkdirSync(join(outside, 'decisions'));
    const files = {
      'decisions/README.md': 'the host’s own file\n',
      'decisions/0001-someone-elses.md': 'not a record mesh-help wrote\n',
      'secret.txt': 'do not touch\n',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(outside, name), content);
    const snapshot = () =>
      Object.fromEntries(
        readdirSync(outside, { recursive: true, encoding: 'utf8' })
          .sort()
          .map((n) => {
            const p = join(outside, n);
            return [n, lstatSync(p).isDirectory() ? 'dir' : readFileSync(p, 'utf8')];
          }),
      );
    return { outside, snapshot, before: snapshot() };
  }

  /** Seeds the remote's main with `links` (path in the repository → link target) and one ordinary file. */
  function seedWithLinks(t: ReturnType<typeof setup>, links: Record<string, string>) {
    const seed = mkdtempSync(join(t.dir, 'seed-'));
    git(seed, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(seed, 'app.txt'), 'the application\n');
    for (const [path, target] of Object.entries(links)) {
      mkdirSync(dirname(join(seed, path)), { recursive: true });
      symlinkSync(target, join(seed, path));
    }
    git(seed, 'add', '.');
    git(seed, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'links');
    git(seed, 'push', '--quiet', t.remote, 'main');
  }

  it.each([
    [
      'the folder is an absolute link',
      (o: string) => ({ 'docs/decisions': join(o, 'decisions') }),
      'docs/decisions',
      'a symbolic link',
    ],
    [
      'the folder is a relative link',
      (o: string) => ({ 'docs/decisions': `../../${basename(o)}/decisions` }),
      'docs/decisions',
      'a symbolic link',
    ],
    ['a parent is an absolute link', (o: string) => ({ docs: o }), 'docs', 'a symbolic link'],
    ['a parent is a relative link', (o: string) => ({ docs: `../${basename(o)}` }), 'docs', 'a symbolic link'],
    [
      'a record name is a link',
      (o: string) => ({ 'docs/decisions/README.md': join(o, 'decisions', 'README.md') }),
      'docs/decisions/README.md',
      'a symbolic link',
    ],
  ])('%s: refused with a plain reason, nothing outside changed, nothing pushed', async (_, links, where, kind) => {
    const t = setup();
    const c = canary();
    seedWithLinks(t, links(c.outside));
    await t.decide('Adopt a cluster mesh', ['--accept']);
    expect(await run(['export', '--git', t.remote], t.io)).toBe(1);
    const said = t.err.join('\n');
    expect(said).toContain(`${where} on main is ${kind}`);
    expect(said).toContain('nothing was pushed');
    expect(said).not.toMatch(/Command failed|git (checkout|add|fetch|push) /);
    expect(c.snapshot()).toEqual(c.before);
    expect(git(t.remote, 'branch', '--list', 'mesh-help/*').trim()).toBe('');
  });

  it('a file where the folder should be is refused, and a real folder beside links is written normally', async () => {
    const t = setup();
    const c = canary();
    seedWithLinks(t, { 'elsewhere/link': c.outside });
    await t.decide('Adopt a cluster mesh', ['--accept']);
    expect(await run(['export', '--git', t.remote, '--path', 'app.txt/decisions'], t.io)).toBe(1);
    expect(t.err.at(-1)).toContain('app.txt on main is a file, not a folder');
    expect(await run(['export', '--git', t.remote, '--path', 'elsewhere/decisions'], t.io)).toBe(0);
    const work = t.checkout('mesh-help/decisions-local');
    expect(readdirSync(join(work, 'elsewhere', 'decisions')).sort()).toEqual([
      '0001-adopt-a-cluster-mesh.md',
      'README.md',
    ]);
    // The link is still a link in the pushed tree: the export added files, and followed nothing.
    expect(lstatSync(join(work, 'elsewhere', 'link')).isSymbolicLink()).toBe(true);
    expect(c.snapshot()).toEqual(c.before);
  });
});

describe('mesh-help export --git replaces and removes only files it wrote itself', () => {
  /** Seeds the remote's main with `files` (path → content). */
  function seed(t: ReturnType<typeof setup>, files: Record<string, string>) {
    const work = mkdtempSync(join(t.dir, 'seed-'));
    git(work, 'init', '--quiet', '--initial-branch=main');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    git(work, 'add', '.');
    git(work, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'theirs');
    git(work, 'push', '--quiet', t.remote, 'main');
  }

  it('a README.md someone else wrote in the folder stops the export: nothing pushed, their file intact', async () => {
    const t = setup();
    seed(t, { 'docs/decisions/README.md': '# Our own decision log\n' });
    await t.decide('Adopt a cluster mesh', ['--accept']);
    expect(await run(['export', '--git', t.remote], t.io)).toBe(1);
    expect(t.err.at(-1)).toBe(
      'mesh-help: docs/decisions/README.md on main was not written by mesh-help, so the export will not replace it; nothing was pushed. Move or remove that file, or export into another folder.',
    );
    expect(git(t.remote, 'branch', '--list', 'mesh-help/*').trim()).toBe('');
  });

  it('a record file of the same number someone else wrote is kept, not removed as an old name', async () => {
    const t = setup();
    seed(t, { 'docs/decisions/0001-their-own-decision.md': '# Their own ADR 1\n' });
    await t.decide('Adopt a cluster mesh', ['--accept']);
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    const work = t.checkout('mesh-help/decisions-local');
    expect(readdirSync(join(work, 'docs', 'decisions')).sort()).toEqual([
      '0001-adopt-a-cluster-mesh.md',
      '0001-their-own-decision.md',
      'README.md',
    ]);
    expect(readFileSync(join(work, 'docs', 'decisions', '0001-their-own-decision.md'), 'utf8')).toBe(
      '# Their own ADR 1\n',
    );
  });

  it('a record it wrote and someone then edited is not overwritten; its own files still are', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    await t.decide('Adopt a service mesh');
    expect(await run(['export', '--git', t.remote], t.io)).toBe(0);
    const work = t.checkout('mesh-help/decisions-local');
    writeFileSync(join(work, 'docs', 'decisions', '0001-adopt-a-cluster-mesh.md'), 'edited by hand\n');
    git(work, 'add', '.');
    git(work, '-c', 'user.name=Bob', '-c', 'user.email=b@b', 'commit', '--quiet', '-m', 'hand edit');
    git(work, 'push', '--quiet', 'origin', 'HEAD:mesh-help/decisions-local');
    await t.decide('Adopt a third thing', ['--accept', '--revisits', '1']);
    expect(await run(['export', '--git', t.remote], t.io)).toBe(1);
    expect(t.err.at(-1)).toMatch(
      /0001-adopt-a-cluster-mesh\.md on mesh-help\/decisions-local was not written by mesh-help/,
    );
    expect(git(t.remote, 'log', '--format=%s', '-1', 'mesh-help/decisions-local').trim()).toBe('hand edit');
  });
});

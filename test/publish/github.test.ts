import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/adr/index.js';
import { type Io, run } from '../../src/cli/main.js';
import { getFlow } from '../../src/engine/load.js';
import { gitBlobSha, knownPull, rememberPull, rememberWritten } from '../../src/publish/index.js';
import { FileStore } from '../../src/store/index.js';
import { fakeGitHub, listing, paths, readsBeforeFirstExport, repoInfo, writesOneCommit } from '../support/github.js';

const TOKEN = 'ghp_testtoken0123456789abcdefNOTREAL';
const BRANCH = 'mesh-help/decisions-local-20261126-120000';
const dirs: string[] = [];

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-pr-'));
  dirs.push(dir);
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data'), GITHUB_TOKEN: TOKEN, USER: 'alice', ...env },
    stdinIsTTY: false,
    now: () => new Date('2026-11-26T12:00:00Z'),
  };
  const answers = (value: unknown) => {
    const file = join(dir, `a${Math.random()}.json`);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  /** Records a decision through the CLI, as a person would. */
  const decide = async (title: string, extra: string[] = []) =>
    expect(await run(['interview', '--answers', answers({ clusters: 'one' }), '--title', title, ...extra], io)).toBe(0);
  /** The export files the team holds right now. */
  const files = async () => {
    const store = new FileStore(join(dir, 'data'));
    try {
      const doc = await store.read('local');
      return Object.fromEntries(exportFiles(getFlow(), 'local', doc.decisions).map((f) => [f.fileName, f.content]));
    } finally {
      await store.close();
    }
  };
  const exportPr = (...args: string[]) => run(['export', '--pr', 'acme/platform', ...args], io);
  /** Records, as an earlier export would have, that this bot opened pull request `number` at commit `head`. */
  const remember = async (number: number, head: string) => {
    const store = new FileStore(join(dir, 'data'));
    await store.update('local', (d) => rememberPull(d, { owner: 'acme', name: 'platform' }, { number, head }));
    await store.close();
  };
  /** Records, as the export that wrote them would have, that these files were written by this bot. */
  const wrote = async (files: Record<string, string>) => {
    const store = new FileStore(join(dir, 'data'));
    const list = Object.entries(files).map(([fileName, content]) => ({ fileName, content }));
    await store.update('local', (d) => rememberWritten(d, list));
    await store.close();
  };
  /** The pull request the team's document records for acme/platform. */
  const recorded = async () => {
    const store = new FileStore(join(dir, 'data'));
    try {
      return knownPull(await store.read('local'), { owner: 'acme', name: 'platform' });
    } finally {
      await store.close();
    }
  };
  return { dir, io, out, err, decide, files, exportPr, remember, recorded, wrote };
}

const shas = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([name, content]) => [name, gitBlobSha(content)]));

describe('mesh-help export --pr (GitHub REST API through nock)', () => {
  it('first export: one branch, one commit made of a tree carrying the files and a ref, then a pull request that lists the new records', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh', ['--accept']);
    await t.decide('Trial <b>Linkerd</b> & @here');
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [])
      .get(gh.at(paths.ref('main')))
      .reply(200, { ref: 'refs/heads/main', object: { sha: 'base1' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(404, { message: 'Not Found' })
      .get(gh.at(paths.commit('base1')))
      .reply(200, { sha: 'base1', tree: { sha: 'tree0' } })
      .post(gh.at(paths.trees))
      .reply(201, { sha: 'tree1' })
      .post(gh.at(paths.commits))
      .reply(201, { sha: 'commit1' })
      .post(gh.at(paths.refs))
      .reply(201, { ref: `refs/heads/${BRANCH}`, object: { sha: 'commit1' } })
      .post(gh.at(paths.createPull))
      .reply(201, { number: 12, html_url: 'https://github.com/acme/platform/pull/12' });

    expect(await t.exportPr()).toBe(0);
    expect(t.err).toEqual([]);
    expect(t.out.at(-1)).toBe('Opened pull request #12 (2 new records): https://github.com/acme/platform/pull/12');
    expect(gh.sequence()).toEqual([
      `GET ${paths.repo}`,
      `GET ${paths.pulls}`,
      `GET ${paths.ref('main')}`,
      `GET ${paths.contents('docs/decisions', 'main')}`,
      `GET ${paths.commit('base1')}`,
      `POST ${paths.trees}`,
      `POST ${paths.commits}`,
      `POST ${paths.refs}`,
      `POST ${paths.createPull}`,
    ]);
    expect(gh.scope.isDone()).toBe(true);
    expect(new Set(gh.calls.map((c) => c.auth))).toEqual(new Set([`token ${TOKEN}`]));
    const files = await t.files();
    const tree = gh.calls.find((c) => c.path === paths.trees)?.body;
    expect(tree).toEqual({
      base_tree: 'tree0',
      tree: Object.entries(files).map(([name, content]) => ({
        path: `docs/decisions/${name}`,
        mode: '100644',
        type: 'blob',
        content,
      })),
    });
    expect(gh.calls.find((c) => c.path === paths.commits)?.body).toMatchObject({
      tree: 'tree1',
      parents: ['base1'],
      message: 'Decision records: 2 new records\n\nExported by mesh-help for team local.',
    });
    expect(gh.calls.find((c) => c.path === paths.refs)?.body).toEqual({ ref: `refs/heads/${BRANCH}`, sha: 'commit1' });
    const pr = gh.calls.find((c) => c.path === paths.createPull)?.body ?? {};
    expect(pr).toMatchObject({ base: 'main', head: BRANCH, title: 'Decision records of team local (mesh-help)' });
    const body = String(pr.body);
    expect(body).toContain('### New records');
    expect(body).toContain('- ADR-0001: Adopt a cluster mesh (accepted)');
    // User text cannot add HTML or ping people in the description.
    expect(body).toContain('- ADR-0002: Trial &lt;b&gt;Linkerd&lt;/b&gt; &amp; @\u200bhere (proposed)');
    expect(body).not.toContain('<b>');
    expect(JSON.stringify(t.out) + JSON.stringify(t.err)).not.toContain(TOKEN);
  });

  it('after a merge: the PR summarises status changes and supersedes, reading only the changed old record', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh', ['--accept']);
    const merged = await t.files();
    await t.wrote(merged);
    await t.decide('Stay on plain Kubernetes', ['--accept', '--revisits', '1']);
    const now = await t.files();
    const oldRecord = '0001-adopt-a-cluster-mesh.md';
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [])
      .get(gh.at(paths.ref('main')))
      .reply(200, { object: { sha: 'base2' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(200, [...listing('docs/decisions', shas(merged)), { type: 'file', name: 'template.md', sha: 'x' }])
      .get(gh.at(paths.blob(gitBlobSha(merged[oldRecord] ?? ''))))
      .reply(200, { content: Buffer.from(merged[oldRecord] ?? '').toString('base64'), encoding: 'base64' })
      .get(gh.at(paths.commit('base2')))
      .reply(200, { tree: { sha: 'tree2' } })
      .post(gh.at(paths.trees))
      .reply(201, { sha: 'tree3' })
      .post(gh.at(paths.commits))
      .reply(201, { sha: 'commit3' })
      .post(gh.at(paths.refs))
      .reply(201, {})
      .post(gh.at(paths.createPull))
      .reply(201, { number: 13, html_url: 'https://github.com/acme/platform/pull/13' });

    expect(await t.exportPr()).toBe(0);
    expect(t.out.at(-1)).toBe(
      'Opened pull request #13 (1 new record, 1 status change): https://github.com/acme/platform/pull/13',
    );
    expect(gh.sequence().slice(3, 6)).toEqual([
      `GET ${paths.contents('docs/decisions', 'main')}`,
      `GET ${paths.blob(gitBlobSha(merged[oldRecord] ?? ''))}`,
      `GET ${paths.commit('base2')}`,
    ]);
    expect(gh.scope.isDone()).toBe(true);
    // Only what differs is uploaded: the index, the superseded record and the new one; template.md is left alone.
    const tree = gh.calls.find((c) => c.path === paths.trees)?.body?.tree as { path: string }[];
    expect(tree.map((e) => e.path)).toEqual(Object.keys(now).map((n) => `docs/decisions/${n}`));
    const body = String(gh.calls.find((c) => c.path === paths.createPull)?.body?.body);
    expect(body).toContain('### Status changes\n\n- ADR-0001: Adopt a cluster mesh: accepted → superseded by ADR-0002');
    expect(body).toContain('### Supersedes\n\n- ADR-0002 supersedes ADR-0001');
    expect(body).toContain('### New records\n\n- ADR-0002: Stay on plain Kubernetes (accepted)');
  });

  it('a later export updates the open pull request: a commit on its branch (fast-forward only) and a new description', async () => {
    const t = setup({ GITHUB_API_URL: 'https://ghe.example.com/api/v3' });
    await t.decide('Adopt a cluster mesh');
    // This bot opened #12 and wrote its head commit: only such a pull request is updated.
    await t.remember(12, 'head1');
    const exported = await t.files();
    await t.wrote(exported);
    await t.decide('Adopt a service mesh');
    const gh = fakeGitHub('https://ghe.example.com/api/v3');
    const open = {
      number: 12,
      html_url: 'https://ghe.example.com/acme/platform/pull/12',
      body: 'old description',
      head: { ref: BRANCH, sha: 'head1', repo: { full_name: 'acme/platform' } },
    };
    const other = { ...open, number: 3, head: { ref: 'feature/x', sha: 'f', repo: { full_name: 'acme/platform' } } };
    gh.scope
      .get(gh.at('/api/v3/repos/acme/platform'))
      .reply(200, repoInfo())
      .get(gh.at(`/api/v3${paths.pulls}`))
      .reply(200, [other, open])
      .get(gh.at(`/api/v3${paths.ref('main')}`))
      .reply(200, { object: { sha: 'base1' } })
      .get(gh.at(`/api/v3${paths.contents('docs/decisions', 'main')}`))
      .reply(404, {})
      .get(gh.at(`/api/v3${paths.contents('docs/decisions', BRANCH)}`))
      .reply(200, listing('docs/decisions', shas(exported)))
      .get(gh.at(`/api/v3${paths.commit('head1')}`))
      .reply(200, { tree: { sha: 'treeH' } })
      .post(gh.at(`/api/v3${paths.trees}`))
      .reply(201, { sha: 'tree2' })
      .post(gh.at(`/api/v3${paths.commits}`))
      .reply(201, { sha: 'commit2' })
      .patch(gh.at(`/api/v3${paths.updateRef(BRANCH)}`))
      .reply(200, {})
      .patch(gh.at(`/api/v3${paths.pull(12)}`))
      .reply(200, {});

    expect(await t.exportPr()).toBe(0);
    expect(t.out.at(-1)).toBe(
      'Updated pull request #12 (2 new records): https://ghe.example.com/acme/platform/pull/12',
    );
    expect(gh.sequence()).toEqual([
      `GET ${paths.repo}`,
      `GET ${paths.pulls}`,
      `GET ${paths.ref('main')}`,
      `GET ${paths.contents('docs/decisions', 'main')}`,
      `GET ${paths.contents('docs/decisions', BRANCH)}`,
      `GET ${paths.commit('head1')}`,
      `POST ${paths.trees}`,
      `POST ${paths.commits}`,
      `PATCH ${paths.updateRef(BRANCH)}`,
      `PATCH ${paths.pull(12)}`,
    ]);
    expect(gh.scope.isDone()).toBe(true);
    // Only the index and the new record changed on the PR's branch.
    const tree = gh.calls.find((c) => c.path.endsWith('/git/trees'))?.body;
    expect(((tree?.tree ?? []) as { path: string }[]).map((e) => e.path)).toEqual([
      'docs/decisions/README.md',
      'docs/decisions/0002-adopt-a-service-mesh.md',
    ]);
    expect(tree?.base_tree).toBe('treeH');
    expect(gh.calls.find((c) => c.path.endsWith('/git/commits'))?.body?.parents).toEqual(['head1']);
    expect(gh.calls.find((c) => c.method === 'PATCH' && c.path.includes('/git/refs/'))?.body).toEqual({
      sha: 'commit2',
      force: false,
    });
    const body = String(gh.calls.at(-1)?.body?.body);
    expect(body).toContain('- ADR-0001: Adopt a cluster mesh (proposed)');
    expect(body).toContain('- ADR-0002: Adopt a service mesh (proposed)');
    // The commit this bot wrote is now the head it expects next time.
    expect(await t.recorded()).toEqual({ number: 12, head: 'commit2' });
  });

  it.each([
    ['no pull request is recorded (a look-alike branch someone else opened)', undefined],
    ['the recorded pull request’s head was moved by someone else', { number: 12, head: 'head1' }],
  ])('%s: that pull request is left alone; a new one is opened and recorded', async (_, known) => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    if (known) await t.remember(known.number, known.head);
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [
        {
          number: 12,
          html_url: 'https://github.com/acme/platform/pull/12',
          body: '',
          head: { ref: `${BRANCH}-x`, sha: 'someone-elses', repo: { full_name: 'acme/platform' } },
        },
      ])
      .get(gh.at(paths.ref('main')))
      .reply(200, { object: { sha: 'base1' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(404, {})
      .get(gh.at(paths.commit('base1')))
      .reply(200, { tree: { sha: 'tree0' } });
    writesOneCommit(gh, gh.scope)
      .post(gh.at(paths.createPull))
      .reply(201, { number: 13, html_url: 'https://github.com/acme/platform/pull/13' });
    expect(await t.exportPr()).toBe(0);
    expect(t.out.at(-1)).toBe('Opened pull request #13 (1 new record): https://github.com/acme/platform/pull/13');
    expect(gh.calls.some((c) => c.method === 'PATCH')).toBe(false);
    expect(gh.calls.find((c) => c.path === paths.commits)?.body?.parents).toEqual(['base1']);
    expect(gh.scope.isDone()).toBe(true);
    // The next export updates #13, at the commit this bot wrote, and only it.
    expect(await t.recorded()).toEqual({ number: 13, head: 'c' });
  });

  it('when the description cannot be updated after the branch moved, the pull request stays known as the bot’s', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    await t.remember(12, 'head1');
    const exported = await t.files();
    await t.wrote(exported);
    await t.decide('Adopt a service mesh');
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [
        {
          number: 12,
          html_url: 'https://github.com/acme/platform/pull/12',
          body: '',
          head: { ref: BRANCH, sha: 'head1', repo: { full_name: 'acme/platform' } },
        },
      ])
      .get(gh.at(paths.ref('main')))
      .reply(200, { object: { sha: 'base1' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(404, {})
      .get(gh.at(paths.contents('docs/decisions', BRANCH)))
      .reply(200, listing('docs/decisions', shas(exported)))
      .get(gh.at(paths.commit('head1')))
      .reply(200, { tree: { sha: 'treeH' } })
      .post(gh.at(paths.trees))
      .reply(201, { sha: 't2' })
      .post(gh.at(paths.commits))
      .reply(201, { sha: 'commit2' })
      .patch(gh.at(paths.updateRef(BRANCH)))
      .reply(200, {})
      .patch(gh.at(paths.pull(12)))
      .reply(422, { message: 'Validation failed' });
    expect(await t.exportPr()).toBe(1);
    // The branch holds the bot's commit2: the next export updates #12 instead of opening a second one.
    expect(await t.recorded()).toEqual({ number: 12, head: 'commit2' });
  });

  it('an export with nothing new touches nothing on the open pull request', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    // This bot opened #12 and wrote its head commit: only such a pull request is updated.
    await t.remember(12, 'head1');
    const exported = await t.files();
    const { prBody, summarise } = await import('../../src/publish/index.js');
    const store = new FileStore(join(t.dir, 'data'));
    const doc = await store.read('local');
    await store.close();
    const fileList = Object.entries(exported).map(([fileName, content]) => ({ fileName, content }));
    const body = prBody('local', 'docs/decisions', await summarise(fileList, doc.decisions, new Map(), async () => ''));
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [
        {
          number: 12,
          html_url: 'https://github.com/acme/platform/pull/12',
          body,
          head: { ref: BRANCH, sha: 'head1', repo: { full_name: 'acme/platform' } },
        },
      ])
      .get(gh.at(paths.ref('main')))
      .reply(200, { object: { sha: 'base1' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(404, {})
      .get(gh.at(paths.contents('docs/decisions', BRANCH)))
      .reply(200, listing('docs/decisions', shas(exported)));
    expect(await t.exportPr()).toBe(0);
    expect(t.out.at(-1)).toBe('Pull request #12 already holds these records: https://github.com/acme/platform/pull/12');
    expect(gh.sequence()).toHaveLength(5);
    expect(gh.scope.isDone()).toBe(true);
  });

  it.each([
    [404, {}, /GitHub has no repository acme\/platform that this token can see/],
    [401, {}, /GitHub refused the token \(401\)/],
    [403, {}, /may read acme\/platform but not write to it/],
  ])('a repository without access (%i) is a clear message, exit 1, and no write', async (status, headers, message) => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    gh.scope.get(gh.at(paths.repo)).reply(status, { message: 'nope' }, headers);
    expect(await t.exportPr()).toBe(1);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).not.toContain(TOKEN);
    expect(gh.sequence()).toEqual([`GET ${paths.repo}`]);
  });

  it('a token without push permission is refused before anything is written', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    gh.scope.get(gh.at(paths.repo)).reply(200, repoInfo(false));
    expect(await t.exportPr()).toBe(1);
    expect(t.err.join('\n')).toMatch(/can read acme\/platform but not push to it/);
    expect(gh.sequence()).toEqual([`GET ${paths.repo}`]);
  });

  it('a rate limit (403 with x-ratelimit-remaining: 0) stops the export with the reset time, before any branch exists', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    // The limit resets in two hours: longer than the export may take, so it is not waited out.
    const reset = Math.floor(Date.now() / 1000) + 7200;
    readsBeforeFirstExport(gh)
      .post(gh.at(paths.trees))
      .reply(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      );
    expect(await t.exportPr()).toBe(1);
    expect(t.err.join('\n')).toBe(
      `mesh-help: GitHub’s rate limit for this token is used up; nothing was changed. Export again after ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC.`,
    );
    expect(gh.sequence().at(-1)).toBe(`POST ${paths.trees}`);
    expect(gh.calls.some((c) => c.path === paths.refs || c.path === paths.createPull)).toBe(false);
  });

  it('a passing failure (502) is retried, and a rate limit that resets within the export’s time is waited out once', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    gh.scope.get(gh.at(paths.repo)).reply(502, { message: 'Bad gateway' });
    const reset = Math.floor(Date.now() / 1000) + 1;
    readsBeforeFirstExport(gh)
      .post(gh.at(paths.trees))
      .reply(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      );
    writesOneCommit(gh, gh.scope)
      .post(gh.at(paths.createPull))
      .reply(201, { number: 13, html_url: 'https://github.com/acme/platform/pull/13' });
    expect(await t.exportPr()).toBe(0);
    expect(t.out.at(-1)).toBe('Opened pull request #13 (1 new record): https://github.com/acme/platform/pull/13');
    expect(gh.sequence().filter((c) => c === `GET ${paths.repo}`)).toHaveLength(2);
    expect(gh.sequence().filter((c) => c === `POST ${paths.trees}`)).toHaveLength(2);
    expect(gh.scope.isDone()).toBe(true);
  }, 20_000);

  it('retries never outlast the export’s time: a GitHub that keeps failing ends the export on time', async () => {
    const t = setup({ MESH_HELP_EXPORT_TIMEOUT_S: '2' });
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    gh.scope.get(gh.at(paths.repo)).times(10).reply(503, { message: 'Unavailable' });
    const started = Date.now();
    expect(await t.exportPr()).toBe(1);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(t.err.join('\n')).toMatch(/GitHub did not answer in time .* 2 s in all/);
  });

  it('a rate limit (429) when opening the pull request deletes the branch it just made', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    writesOneCommit(gh, readsBeforeFirstExport(gh))
      .post(gh.at(paths.createPull))
      .reply(429, { message: 'secondary rate limit' }, { 'retry-after': '120' })
      .delete(gh.at(paths.updateRef(BRANCH)))
      .reply(204);
    expect(await t.exportPr()).toBe(1);
    expect(t.err.join('\n')).toMatch(/rate limit .* used up; nothing was changed\. Export again in 2 minutes\./);
    expect(gh.sequence().slice(-3)).toEqual([
      `POST ${paths.refs}`,
      `POST ${paths.createPull}`,
      `DELETE ${paths.updateRef(BRANCH)}`,
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it('a conflict on the branch (422, not a fast-forward) says so and does not force the push', async () => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    // This bot opened #12 and wrote its head commit: only such a pull request is updated.
    await t.remember(12, 'head1');
    const exported = await t.files();
    await t.wrote(exported);
    await t.decide('Adopt a service mesh');
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(200, repoInfo())
      .get(gh.at(paths.pulls))
      .reply(200, [
        {
          number: 12,
          html_url: 'https://github.com/acme/platform/pull/12',
          body: '',
          head: { ref: BRANCH, sha: 'head1', repo: { full_name: 'acme/platform' } },
        },
      ])
      .get(gh.at(paths.ref('main')))
      .reply(200, { object: { sha: 'base1' } })
      .get(gh.at(paths.contents('docs/decisions', 'main')))
      .reply(404, {})
      .get(gh.at(paths.contents('docs/decisions', BRANCH)))
      .reply(200, listing('docs/decisions', shas(exported)))
      .get(gh.at(paths.commit('head1')))
      .reply(200, { tree: { sha: 'treeH' } })
      .post(gh.at(paths.trees))
      .reply(201, { sha: 't' })
      .post(gh.at(paths.commits))
      .reply(201, { sha: 'c' })
      .patch(gh.at(paths.updateRef(BRANCH)))
      .reply(422, { message: 'Update is not a fast forward' });
    expect(await t.exportPr()).toBe(1);
    expect(t.err.join('\n')).toMatch(
      /The branch changed on GitHub while exporting .*not a fast-forward.*Export again\./,
    );
    expect(gh.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ sha: 'c', force: false });
    expect(gh.calls.some((c) => c.path === paths.pull(12))).toBe(false);
    expect(gh.scope.isDone()).toBe(true);
  });

  it.each([
    [['--pr', 'not a repo'], /a repository is OWNER\/REPO/],
    [['--pr', 'acme/platform', '--path', '../etc'], /cannot contain \. or \.\./],
    [['--pr', 'acme/platform', '--out', 'x'], /one of --out, --pr, --git and --html/],
    [['--pr', 'acme/platform', '--branch', 'x'], /--branch goes with --git/],
  ])('bad usage exits 2 before any request (%j)', async (args, message) => {
    const t = setup();
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    expect(await run(['export', ...args], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(gh.calls).toEqual([]);
  });

  it('GITHUB_API_URL with credentials is refused, naming the variable and not the secret, and calls nothing', async () => {
    const t = setup({ GITHUB_API_URL: 'https://bob:hunter2secret@ghe.example.com/api/v3' });
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub('https://ghe.example.com/api/v3');
    expect(await t.exportPr()).toBe(2);
    expect(t.err.join('\n')).toBe(
      'mesh-help: GITHUB_API_URL must not carry a user name or password: the token goes in GITHUB_TOKEN',
    );
    expect(gh.calls).toEqual([]);
  });

  it('without GITHUB_TOKEN it says which token to make, and calls nothing', async () => {
    const t = setup({ GITHUB_TOKEN: '' });
    await t.decide('Adopt a cluster mesh');
    const gh = fakeGitHub();
    expect(await t.exportPr()).toBe(2);
    expect(t.err.join('\n')).toMatch(/--pr needs a GitHub token in GITHUB_TOKEN/);
    expect(gh.calls).toEqual([]);
  });
});

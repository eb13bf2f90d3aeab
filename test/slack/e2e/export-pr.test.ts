import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import { type Call, HOME_TEAM } from '../../support/fake-slack.js';
import { fakeGitHub, paths, readsBeforeFirstExport, treeContents, writesOneCommit } from '../../support/github.js';
import { ALICE, actionPayload, type Harness, startHarness, textOf } from '../../support/harness.js';

const TOKEN = 'ghp_slacktesttoken0123456789NOTREAL';
let h: Harness;
const dirs: string[] = [];
beforeEach(() => {
  nock.disableNetConnect();
  // The app and the fake Slack talk over loopback; only GitHub is faked by nock.
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterEach(async () => {
  await h?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** `/mesh-help <text>` and the private reply that follows it (through response_url or the ack). */
async function command(text: string): Promise<Record<string, unknown>> {
  const before = h.fake.calls.length;
  const res = await h.command(text);
  expect(res.status).toBe(200);
  const acked = await res.text();
  if (acked) return JSON.parse(acked) as Record<string, unknown>;
  const reply = await h.fake.waitFor((c: Call) => c.seq > before && c.method === 'response_url', 10_000, text);
  return reply.params;
}

async function decide(title: string) {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, title);
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  await h.fake.waitFor((c) => c.seq > before && JSON.stringify(c.params.blocks ?? []).includes('"adr:1"'));
  await h.idle();
}

describe('/mesh-help export pr and export git (real app, signed requests, nock for GitHub)', () => {
  it('config repo, then export pr opens a pull request and says where; the token is in no file and no reply', async () => {
    h = await startHarness({ env: { GITHUB_TOKEN: TOKEN } });
    const none = await command('export pr');
    expect(String(none.text)).toContain('No decisions to export yet');

    const bad = await command('config repo ../etc');
    expect(String(bad.text)).toMatch(/a repository is OWNER\/REPO/);
    expect(h.teamFile()).toBeUndefined();

    const set = await command('config repo acme/platform docs/adr');
    expect(textOf(set)).toContain('opens a pull request on acme/platform with the records in `docs/adr/`');
    expect(((h.teamFile()?.config ?? {}) as Record<string, unknown>).repo).toEqual({
      owner: 'acme',
      name: 'platform',
      path: 'docs/adr',
    });
    const shown = await command('config show');
    expect(textOf(shown)).toContain('*GitHub repository*\\nacme/platform, `docs/adr/`');

    await decide('Payments networking');
    const gh = fakeGitHub();
    writesOneCommit(gh, readsBeforeFirstExport(gh, 'docs/adr'))
      .post(gh.at(paths.createPull))
      .reply(201, { number: 12, html_url: 'https://github.com/acme/platform/pull/12' });
    const opened = await command('export pr');
    expect(opened.response_type).toBe('ephemeral');
    expect(String(opened.text)).toBe(
      ':arrow_heading_up: Opened <https://github.com/acme/platform/pull/12|acme/platform#12>: 1 new record.',
    );
    expect(gh.scope.isDone()).toBe(true);
    // Two blobs no longer travel apart: their contents are inline in the tree request.
    expect(gh.sequence()).toHaveLength(9);
    const blobs = treeContents(gh);
    expect(blobs[1]).toMatch(/^---\nstatus: accepted\n/);
    expect(blobs[1]).toContain('# Payments networking');
    const tree = gh.calls.find((c) => c.path === paths.trees)?.body?.tree as { path: string }[];
    expect(tree.map((e) => e.path)).toEqual(['docs/adr/README.md', 'docs/adr/0001-payments-networking.md']);
    expect(h.teamFileText()).not.toContain(TOKEN);
    expect(JSON.stringify(h.fake.calls)).not.toContain(TOKEN);
  });

  it('a rate limit is told to the person privately, and nothing is pushed', async () => {
    h = await startHarness({ env: { GITHUB_TOKEN: TOKEN } });
    await command('config repo acme/platform');
    await decide('Payments networking');
    const gh = fakeGitHub();
    gh.scope
      .get(gh.at(paths.repo))
      .reply(429, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '60' });
    const reply = await command('export pr');
    expect(String(reply.text)).toBe(
      ':warning: GitHub’s rate limit for this token is used up; nothing was changed. Export again in 1 minute.',
    );
    expect(gh.sequence()).toEqual([`GET ${paths.repo}`]);
  });

  it('without GITHUB_TOKEN the bot says who must set it', async () => {
    h = await startHarness();
    await command('config repo acme/platform');
    await decide('Payments networking');
    const gh = fakeGitHub();
    const reply = await command('export pr');
    expect(String(reply.text)).toContain('The bot has no GitHub token');
    expect(gh.calls).toEqual([]);
  });

  it('config git and export git push to an allowed bare repository, on a branch of its own; a URL with credentials is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-slack-git-'));
    dirs.push(dir);
    // A path on the bot's machine passes from Slack only because the operator allows it.
    h = await startHarness({ env: { MESH_HELP_EXPORT_ALLOW: `${dir}/` } });
    const remote = join(dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);

    const refused = await command('config git <https://bob:hunter2@gitlab.example.com/acme/platform.git>');
    expect(String(refused.text)).toContain('carries credentials');
    expect(h.teamFile()).toBeUndefined();

    const noRemote = await command('export git');
    expect(String(noRemote.text)).toContain('No decisions to export yet');
    await decide('Payments networking');
    const unset = await command('export git');
    expect(String(unset.text)).toContain('no git remote yet');

    // Someone else's branch is never a target from Slack, whatever the remote.
    const main = await command(`config git ${remote} main`);
    expect(String(main.text)).toMatch(
      /pushes only to its own branches \(mesh-help\/…\), never to main.*Nothing was changed\.$/,
    );
    const outside = await command(`config git ${join(tmpdir(), 'elsewhere.git')}`);
    expect(String(outside.text)).toMatch(/not among the destinations .*MESH_HELP_EXPORT_ALLOW/);
    expect((h.teamFile()?.config as { gitRemote?: unknown } | undefined)?.gitRemote).toBeUndefined();

    await command(`config git ${remote} mesh-help/decisions`);
    // export pr with no GitHub repository falls back to the git remote.
    const pushed = await command('export pr');
    expect(String(pushed.text)).toMatch(
      /^:arrow_heading_up: Pushed the decision records to `mesh-help\/decisions` of .*remote\.git: 1 new record\.$/,
    );
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'mesh-help/decisions'], {
      cwd: remote,
      encoding: 'utf8',
    });
    expect(files.trim().split('\n')).toEqual([
      'docs/decisions/0001-payments-networking.md',
      'docs/decisions/README.md',
    ]);
    const again = await command('export git');
    expect(String(again.text)).toContain('Nothing new');
  });

  it('without an allow-list, Slack may set only network remotes with public addresses, and an old local target is refused at export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-slack-git-'));
    dirs.push(dir);
    h = await startHarness();
    const remote = join(dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    await decide('Payments networking');
    for (const [url, why] of [
      [remote, /not to a path on the bot’s machine/],
      [`file://${remote}`, /not to a path on the bot’s machine/],
      ['https://127.0.0.1/acme/platform.git', /not to this machine, a private or a link-local address/],
      ['https://[::1]/acme/platform.git', /not to this machine, a private or a link-local address/],
      ['ssh://git@10.1.2.3/acme/platform.git', /not to this machine, a private or a link-local address/],
      ['git@192.168.1.20:acme/platform.git', /not to this machine, a private or a link-local address/],
      ['https://169.254.169.254/latest/meta-data', /not to this machine, a private or a link-local address/],
      ['https://localhost/acme/platform.git', /not to this machine, a private or a link-local address/],
    ] as const) {
      const reply = await command(`config git ${url}`);
      expect(String(reply.text), url).toMatch(why);
      expect(String(reply.text), url).toMatch(/Nothing was changed\.$/);
    }
    expect((h.teamFile()?.config as { gitRemote?: unknown } | undefined)?.gitRemote).toBeUndefined();
    const publicRemote = await command('config git https://203.0.113.10/acme/platform.git');
    expect(String(publicRemote.text)).toContain('now pushes the records to https://203.0.113.10/acme/platform.git');

    // A target stored before these rules (or by hand) is checked again when exporting: nothing is pushed.
    const store = new FileStore(h.dataDir);
    await store.update(HOME_TEAM, (d) => {
      d.config.gitRemote = { url: remote, branch: 'main', path: 'docs/decisions' };
    });
    await store.close();
    h = await h.restart();
    const exported = await command('export git');
    expect(String(exported.text)).toMatch(
      /^:warning: From Slack, mesh-help pushes only to its own branches.*Nothing was pushed\.$/,
    );
    expect(execFileSync('git', ['branch', '--list'], { cwd: remote, encoding: 'utf8' }).trim()).toBe('');
  });

  it('export with an unknown target answers with the choices', async () => {
    h = await startHarness();
    const reply = await command('export gitlab');
    expect(String(reply.text)).toContain('`export pr` (a pull request) or `export git`');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../../src/cli/main.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  startHarness,
  textOf,
} from '../../support/harness.js';

// The workflows features (organisation log, repository exports, status notices) under main's rule that a record
// made in a private conversation is shown and exported only there.

type Json = Record<string, unknown>;
const PUBLIC = 'C0OTHER';
const DECISIONS = 'C0DECIDE';
let h: Harness;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

async function decide(title: string): Promise<StoredMessage> {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, title);
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  const posted = await h.fake.waitFor(
    (c) => c.seq > before && isPost(c) && JSON.stringify(c.params.blocks ?? []).includes('"block_id":"adr:'),
    5000,
    `the decision card of ${title}`,
  );
  await h.idle();
  const msg = [...h.fake.messages.values()].find(
    (m) => m.channel === posted.params.channel && m.text === posted.params.text,
  );
  if (!msg) throw new Error('decision card not stored');
  return msg;
}

async function reply(text: string, channel: string): Promise<Json> {
  const before = h.fake.calls.length;
  const res = await h.command(text, ALICE, channel);
  expect(res.status).toBe(200);
  const acked = await res.text();
  if (acked) return JSON.parse(acked) as Json;
  const call = await h.fake.waitFor((c: Call) => c.seq > before && c.method === 'response_url', 10_000, text);
  await h.idle();
  return call.params;
}

/** Another team's accepted record on prod-eu, written through the command line into the bot's data folder. */
async function otherTeamDecides(team: string, title: string) {
  const answers = join(tmp('mesh-vis-org-'), 'a.json');
  writeFileSync(answers, JSON.stringify({ clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' }));
  const io: Io = {
    out: () => undefined,
    err: (t) => {
      throw new Error(t);
    },
    env: { MESH_HELP_DATA_DIR: h.dataDir },
    stdinIsTTY: false,
    now: () => new Date(),
  };
  const args = ['interview', '--answers', answers, '--accept', '--team', team, '--title', title, '--scope', 'prod-eu'];
  expect(await run(args, io)).toBe(0);
}

/** A public record, then one on prod-eu made in CHANNEL after it turned private, then another team's on prod-eu. */
async function setup(env: Record<string, string> = {}): Promise<{ secret: StoredMessage }> {
  h = await startHarness({ env });
  await reply(`config channel ${DECISIONS}`, CHANNEL);
  await decide('Public plan');
  h.fake.privateChannels.add(CHANNEL);
  h.fake.members.set(CHANNEL, [ALICE.id]);
  const secret = await decide('Secret plan scope: prod-eu');
  await otherTeamDecides('T0SEARCH', 'Search plan');
  const decisions = (h.teamFile()?.decisions ?? []) as Json[];
  expect(decisions.map((d) => [d.title, d.privateTo, d.scope])).toEqual([
    ['Public plan', undefined, undefined],
    ['Secret plan', CHANNEL, ['prod-eu']],
  ]);
  return { secret };
}

describe('private records and the organisation-wide features', () => {
  it('decisions all shows a private record only in its own channel, with its conflicts; the Home tab never', async () => {
    await setup();
    const outside = JSON.stringify(await reply('decisions all', PUBLIC));
    expect(outside).toContain('Public plan');
    expect(outside).toContain('T0SEARCH/ADR-0001');
    expect(outside).not.toContain('Secret plan');
    // The conflict on prod-eu would name the private record: it is not shown either.
    expect(outside).not.toContain('Conflicts on shared clusters');

    const inside = JSON.stringify(await reply('decisions all', CHANNEL));
    expect(inside).toContain('Secret plan');
    expect(inside).toContain('Conflicts on shared clusters');

    const homeAt = h.fake.calls.length;
    await h.event({ type: 'app_home_opened', user: ALICE.id, channel: 'D0HOME', tab: 'home' });
    const home = await h.fake.waitFor((c) => c.seq > homeAt && c.method === 'views.publish');
    const org = textOf(home.params.view as Json).split('*Across the organisation*')[1] ?? '';
    expect(org).toContain('2 decisions in 2 teams, 0 conflicts');
    expect(org).not.toContain(`${HOME_TEAM}/ADR-0002`);
  });

  it('export git keeps private records out of the repository, even when asked for inside their channel', async () => {
    const dir = tmp('mesh-vis-git-');
    // A path on the bot's machine passes from Slack only because the operator allows it; the branch is the bot's own.
    await setup({ MESH_HELP_EXPORT_ALLOW: `${dir}/` });
    const remote = join(dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    await reply(`config git ${remote} mesh-help/decisions`, CHANNEL);
    const pushed = JSON.stringify(await reply('export git', CHANNEL));
    expect(pushed).toContain('Pushed the decision records');
    expect(pushed).toContain('1 record from private channels or DMs was left out');
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'mesh-help/decisions'], {
      cwd: remote,
      encoding: 'utf8',
    });
    expect(files.trim().split('\n')).toEqual(['docs/decisions/0001-public-plan.md', 'docs/decisions/README.md']);
    const index = execFileSync('git', ['show', 'mesh-help/decisions:docs/decisions/README.md'], {
      cwd: remote,
      encoding: 'utf8',
    });
    expect(index).not.toContain('Secret plan');
  });

  it('a private record’s status change is told in its thread but not announced in the decisions channel', async () => {
    const { secret } = await setup();
    expect(secret.channel).toBe(CHANNEL);
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, secret, 'decision:deprecate', ALICE));
    await h.fake.waitFor((c) => c.seq > before && isPost(c) && String(c.params.text).includes('deprecated'));
    await h.idle();
    expect(((h.teamFile()?.decisions ?? []) as Json[])[1]).toMatchObject({ status: 'deprecated' });
    const announced = h.fake.calls.filter((c) => c.seq > before && isPost(c) && c.params.channel === DECISIONS);
    expect(announced).toEqual([]);
  });
});

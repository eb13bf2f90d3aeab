import { afterEach, describe, expect, it } from 'vitest';
import { renderAdr } from '../../../src/adr/index.js';
import { getFlow } from '../../../src/engine/load.js';
import { Decision } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
const flow = getFlow();
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const CAROL: Person = { id: 'U0CAROL', team: 'T0HOME' };
type Doc = { decisions: Json[]; sessions: Json[]; config: Json };
const doc = () => h.teamFile() as Doc;

async function command(text: string, who: Person = ALICE): Promise<string> {
  const before = h.fake.calls.length;
  const res = await h.command(text, who);
  expect(res.status).toBe(200);
  const reply = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, `reply to ${text}`);
  await h.idle();
  return JSON.stringify(reply.params);
}

async function decisionCard(number: number, after: number): Promise<StoredMessage> {
  const call = await h.fake.waitFor(
    (c: Call) =>
      c.seq > after && isPost(c) && JSON.stringify(c.params.blocks ?? []).includes(`"block_id":"adr:${number}"`),
    5000,
    `the card of ADR-${number}`,
  );
  await h.idle();
  const card = [...h.fake.messages.values()].find(
    (m) => m.channel === CHANNEL && m.text === call.params.text && m.thread_ts === call.params.thread_ts,
  );
  if (!card) throw new Error('decision card not stored');
  return card;
}

describe('who may change a team’s rules', () => {
  it('by default a member who is neither a workspace admin nor a named owner is refused, and nothing is written', async () => {
    h = await startHarness();
    await command('config approvals 3'); // Alice administers the fake workspace
    const before = h.teamFileText();
    const reply = await command('config approvals 0', BOB);
    expect(reply).toContain('Only workspace admins and this team’s owners can change these settings');
    expect(h.teamFileText()).toBe(before);
    expect(doc().config.approvals).toBe(3);
    // users.info told the bot Bob is no admin.
    expect(h.fake.called('users.info').some((c) => c.params.user === BOB.id)).toBe(true);
  });

  it('covers the export and deadline settings too: refused for a plain member, kept in the history for an admin', async () => {
    h = await startHarness();
    await command('config approvals 1'); // the team exists, with its settings
    const before = h.teamFileText();
    for (const change of [
      'config deadline 5d',
      'config repo acme/platform',
      'config git https://git.example.com/x.git',
    ]) {
      expect(await command(change, BOB), change).toContain('Nothing was changed');
      expect(h.teamFileText(), change).toBe(before);
    }
    expect(await command('config deadline 5d')).toContain('within 5 days');
    expect(await command('config repo acme/platform')).toContain('acme/platform');
    // From Slack the branch must be one mesh-help owns (issue 21): `main` would be refused.
    expect(await command('config git https://git.example.com/x.git mesh-help/main')).toContain('git.example.com');
    expect(await command('config repo none')).toContain('No GitHub repository is set any more');
    expect(doc().config).toMatchObject({
      deadlineDays: 5,
      gitRemote: { url: 'https://git.example.com/x.git', branch: 'mesh-help/main', path: 'docs/decisions' },
    });
    expect(doc().config.repo).toBeUndefined();
    const history = (doc().config.history ?? []) as Json[];
    expect(history.map((c) => [c.setting, c.from, c.to, c.by])).toEqual([
      ['approvals', '0', '1', ALICE.id],
      ['deadline', 'none', '5d', ALICE.id],
      ['GitHub repository', 'none', 'acme/platform docs/decisions', ALICE.id],
      ['git remote', 'none', 'https://git.example.com/x.git mesh-help/main docs/decisions', ALICE.id],
      ['GitHub repository', 'acme/platform docs/decisions', 'none', ALICE.id],
    ]);
    // The settings message lists them with the rest, and the recent changes.
    const shown = await command('config show');
    expect(shown).toContain('*Deadline*\\n5 days after the recommendation');
    expect(shown).toContain('*Who may change settings*');
    expect(shown).toContain('deadline none → 5d');
  });

  it('the first person to name owners becomes one; owners then change rules without being admins', async () => {
    h = await startHarness();
    const named = await command('config owners <@U0CAROL|carol>', BOB);
    expect(named).toContain('owners are now <@U0BOB>, <@U0CAROL>');
    expect(doc().config.owners).toEqual([BOB.id, CAROL.id]);
    expect(await command('config approvals 2', CAROL)).toContain('2 approvals');
    expect(doc().config.approvals).toBe(2);
    // Once owners are named, someone else (no admin, no owner) cannot rename them.
    const dave: Person = { id: 'U0DAVE', team: 'T0HOME' };
    expect(await command('config owners <@U0DAVE>', dave)).toContain('Nothing was changed');
    expect(doc().config.owners).toEqual([BOB.id, CAROL.id]);
  });

  it('who may change settings is itself a setting, and cannot lock everybody out', async () => {
    h = await startHarness();
    expect(await command('config editors owners')).toContain('Name the owners first');
    expect(h.teamFile()).toBeUndefined();
    await command('config owners <@U0BOB>'); // Alice, naming the first owners, becomes one too
    expect(doc().config.owners).toEqual([ALICE.id, BOB.id]);
    await command('config owners <@U0BOB>', BOB);
    expect(doc().config.owners).toEqual([BOB.id]);
    expect(await command('config editors owners')).toContain('this team’s owners can change');
    // Alice is a workspace admin but not an owner: under `owners` she may no longer change rules.
    expect(await command('config approvals 5')).toContain('Only this team’s owners');
    expect(await command('config editors anyone', BOB)).toContain('anyone in this workspace');
    expect(await command('config approvals 1', CAROL)).toContain('1 approval');
  });

  it('every change is kept in the team’s history (who, when, old → new) and shown by config', async () => {
    h = await startHarness();
    await command('config approvals 2');
    await command('config channel C0DECIDE');
    const history = doc().config.history as Json[];
    expect(history).toMatchObject([
      { by: ALICE.id, setting: 'approvals', from: '0', to: '2' },
      { by: ALICE.id, setting: 'decisions channel', from: 'none', to: 'C0DECIDE' },
    ]);
    expect(typeof history[0]?.at).toBe('string');
    expect(await command('config show')).toContain('approvals 0 → 2 by <@U0ALICE>');
  });

  it('users.info failing refuses the change plainly instead of letting it through', async () => {
    h = await startHarness();
    h.fake.failNext('users.info', 'missing_scope');
    const reply = await command('config approvals 0', BOB);
    expect(reply).toContain('could not check whether you administer this workspace');
    expect(reply).not.toContain('missing_scope');
    expect(h.teamFile()).toBeUndefined();
  });
});

describe('rule changes on the records they affect', () => {
  it('lowering approvals to 0, accepting alone and raising them again shows on the record, its card and its ADR', async () => {
    h = await startHarness();
    await command('config approvals 3');
    await command('config approvals 0');
    const rootTs = await startInterview(h, 'Quietly accepted');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    const decided = await decisionCard(1, before);
    expect(textOf(decided)).toContain('Accepted under the rule of 0 approvals');
    expect(textOf(decided)).toContain('approvals 3 → 0 by <@U0ALICE>');
    await command('config approvals 3');

    const record = doc().decisions[0] as Json;
    expect(record.acceptedUnderApprovals).toBe(0);
    expect((record.ruleChanges as Json[]).map((c) => `${c.from}→${c.to}`)).toEqual(['3→0', '0→3']);
    const adr = renderAdr(Decision.parse(record), { flow, decisions: [Decision.parse(record)] }).content;
    expect(adr).toContain('Accepted under the rule of 0 approvals');
    expect(adr).toContain('approvals 3 → 0 by u0alice');
    expect(adr).toContain('approvals 0 → 3 by u0alice');
  });

  it('a record accepted without any rule change says nothing about rules', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h, 'Plain');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    const decided = await decisionCard(1, before);
    expect(textOf(decided)).not.toContain('Rule changes');
    expect((doc().decisions[0] as Json).ruleChanges).toBeUndefined();
  });
});

describe('approvals and reopen', () => {
  it('approvals of the old outcome are dropped when a reopen changes it; the ADR lists only the final outcome’s', async () => {
    h = await startHarness();
    await command('config approvals 1');
    const rootTs = await startInterview(h, 'Approve then change');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const click = async (action: string, who: Person) => {
      const n = h.fake.calls.length;
      await h.interact(actionPayload(h.fake, h.fake.message(CHANNEL, card.ts) ?? card, action, who));
      await h.idle();
      return n;
    };
    await click('decision:approve', BOB);
    const before = await click('decision:accept', ALICE);
    const decided = await decisionCard(1, before);
    expect(((doc().decisions[0] as Json).approvals as Json[]).map((a) => a.by)).toEqual([BOB.id]);

    // Reopen, then record a different choice (the outcome changes) with Carol's fresh approval.
    await h.interact(actionPayload(h.fake, decided, 'decision:reopen', ALICE));
    await h.idle();
    await click('decision:approve', CAROL);
    await click('decision:override', ALICE);
    const open = await h.fake.waitFor((c) => c.method === 'views.open', 5000, 'the override modal');
    const after = h.fake.calls.length;
    const res = await h.interact({
      type: 'view_submission',
      team: { id: 'T0HOME' },
      user: { id: ALICE.id, team_id: 'T0HOME' },
      api_app_id: 'A0MESH',
      view: {
        id: 'V9',
        type: 'modal',
        callback_id: 'decision:override',
        private_metadata: (open.params.view as Json).private_metadata,
        state: {
          values: {
            'override:patterns': { patterns: { type: 'checkboxes', selected_options: [{ value: 'service-mesh' }] } },
            'override:reason': { reason: { type: 'plain_text_input', value: 'Audit wants mTLS' } },
          },
        },
      },
    });
    expect(res.status).toBe(200);
    const again = await decisionCard(1, after);
    const record = Decision.parse(doc().decisions[0]);
    expect(record.chosen).toEqual(['service-mesh']);
    expect(record.approvals.map((a) => a.by)).toEqual([CAROL.id]);
    expect(record.history.at(-1)?.note).toContain('earlier approvals dropped');
    expect(textOf(again)).toContain('<@U0CAROL>');
    expect(textOf(again)).not.toContain('<@U0BOB>');
    const adr = renderAdr(record, { flow, decisions: [record] }).content;
    expect(adr).toContain('Approved by u0carol');
    expect(adr).not.toContain('u0bob');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionIds,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  isPost,
  type Person,
  selectPayload,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
const flow = getFlow();
let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Doc = { decisions: Json[]; sessions: Json[]; config: Json };
const doc = () => h.teamFile() as Doc;

const isDecisionCard = (c: Call, number: number) =>
  isPost(c) && JSON.stringify(c.params.blocks ?? []).includes(`"block_id":"adr:${number}"`);

/** The decision card as the fake workspace holds it, by the post that created it. */
async function decisionCard(number: number, after = 0, channel = CHANNEL): Promise<StoredMessage> {
  const call = await h.fake.waitFor(
    (c) => c.seq > after && isDecisionCard(c, number) && c.params.channel === channel,
    5000,
    `the card of ADR-${number} in ${channel}`,
  );
  await h.idle();
  const card = [...h.fake.messages.values()].find(
    (m) => m.channel === channel && m.text === call.params.text && m.thread_ts === call.params.thread_ts,
  );
  if (!card) throw new Error('decision card not stored');
  return card;
}

/** Start → answer everything → click accept; resolves with the thread's root ts and the recommendation card. */
async function decide(title: string, who: Person = ALICE, script = SMALL_TEAM) {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, title);
  await runInterview(h, rootTs, script);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', who));
  return { rootTs, card, before };
}

async function command(text: string, who: Person = ALICE): Promise<Call> {
  const before = h.fake.calls.length;
  const res = await h.command(text, who);
  expect(res.status).toBe(200);
  const reply = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, `reply to ${text}`);
  await h.idle();
  return reply;
}

const uploadedText = (after: number) =>
  h.fake.calls.filter((c) => c.seq > after && c.method === 'upload').map((c) => String(c.params.body));

describe('the decision card', () => {
  it('is posted in the thread, the channel gets one short line naming the tools, and decision:export uploads the MADR file into the thread', async () => {
    h = await startHarness();
    const { rootTs, before } = await decide('Payments networking', BOB);
    const card = await decisionCard(1, before);
    const post = h.fake.calls.find((c) => c.seq > before && isDecisionCard(c, 1));
    expect(post?.params.thread_ts).toBe(rootTs);
    // Issue #17: the long card is never broadcast; the channel gets one line with a link to the thread.
    expect(post?.params.reply_broadcast).toBeUndefined();
    const notices = h.fake.calls.filter(
      (c) => c.seq > before && isPost(c) && c.params.channel === CHANNEL && c.params.thread_ts === undefined,
    );
    expect(notices).toHaveLength(1);
    const notice = textOf(notices[0]?.params ?? {});
    expect(notice).toContain('*ADR-0001* Payments networking was accepted by <@U0BOB>');
    expect(notice).toMatch(/\|thread>/);
    expect(JSON.stringify(notices[0]?.params.blocks).length).toBeLessThan(1200);
    const d = doc().decisions[0] ?? {};
    expect(d.status).toBe('accepted');
    const rec = recommend(flow, SMALL_TEAM);
    const shown = textOf(card);
    expect(shown).toContain('ADR-0001: Payments networking');
    expect(shown).toContain('*accepted*');
    expect(shown).toContain(flow.patternById.get(rec.primary)?.name ?? '?');
    expect(shown).toContain('Decision drivers');
    expect(shown).toContain('_(How many services call each other? → ');
    expect(shown).toContain('Consequences');
    expect(shown).toContain(String(d.revisitOn));
    expect(shown).toContain('<@U0BOB>');
    expect(actionIds(card)).toEqual(['decision:export-menu', 'decision:reopen', 'decision:deprecate']);
    // No decisions channel is configured: the card went to the thread only (broadcast), nowhere else.
    expect(h.fake.calls.filter((c) => isDecisionCard(c, 1)).map((c) => c.params.channel)).toEqual([CHANNEL]);

    const beforeExport = h.fake.calls.length;
    const fileBefore = h.teamFileText();
    await h.interact(selectPayload(h.fake, card, 'decision:export-menu', 'upload', ALICE));
    const done = await h.fake.waitFor((c) => c.seq > beforeExport && c.method === 'files.completeUploadExternal');
    await h.idle();
    const calls = h.fake.calls.slice(beforeExport).map((c) => c.method);
    expect(calls).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const asked = h.fake.calls.find((c) => c.seq > beforeExport && c.method === 'files.getUploadURLExternal');
    expect(String(asked?.params.filename)).toBe('0001-payments-networking.md');
    expect(done.params.channel_id).toBe(CHANNEL);
    expect(done.params.thread_ts).toBe(rootTs);
    const [bytes = ''] = uploadedText(beforeExport);
    expect(bytes).toContain('---\nstatus: accepted\ndate: ');
    expect(bytes).toContain('# Payments networking');
    expect(bytes).toContain('Chosen option: "');
    expect(h.teamFileText()).toBe(fileBefore);
    expect(h.fake.violations).toEqual([]);
  });

  it('also goes to the decisions channel set with /mesh-help config channel, given as Slack escapes it or as an id', async () => {
    h = await startHarness();
    const shown = await command('config show');
    expect(textOf(shown.params)).toContain('Decisions channel');
    await command('config channel <#C0DECIDE|decisions>');
    expect(doc().config.decisionsChannel).toBe('C0DECIDE');
    await command('config channel C0LOG');
    expect(doc().config.decisionsChannel).toBe('C0LOG');
    const bad = await command('config channel #nowhere');
    expect(String(bad.params.text)).toContain('could not read that channel');
    expect(doc().config.decisionsChannel).toBe('C0LOG');

    const { before } = await decide('Shared decisions');
    await decisionCard(1, before, CHANNEL);
    // Issue #17: the decisions channel gets the same short notice as the channel, not a copy of the card.
    const inLog = h.fake.calls.filter((c) => c.seq > before && isPost(c) && c.params.channel === 'C0LOG');
    expect(inLog).toHaveLength(1);
    const inChannel = h.fake.calls.filter(
      (c) => c.seq > before && isPost(c) && c.params.channel === CHANNEL && c.params.thread_ts === undefined,
    );
    expect(inLog[0]?.params.blocks).toEqual(inChannel[0]?.params.blocks);
    expect(textOf(inLog[0]?.params ?? {})).toContain('*ADR-0001* Shared decisions was accepted');
    expect(inLog.some((c) => isDecisionCard(c, 1))).toBe(false);
    expect(h.fake.violations).toEqual([]);
  });

  it('shows an override with the team’s reason, and the uploaded ADR says so too', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h, 'Override it');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.interact(actionPayload(h.fake, card, 'decision:override', BOB));
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    const before = h.fake.calls.length;
    const res = await h.interact({
      type: 'view_submission',
      team: { id: 'T0HOME' },
      user: { id: BOB.id, team_id: 'T0HOME' },
      api_app_id: 'A0MESH',
      view: {
        id: 'V2',
        type: 'modal',
        callback_id: 'decision:override',
        private_metadata: (open.params.view as Json).private_metadata,
        state: {
          values: {
            'override:patterns': { patterns: { type: 'checkboxes', selected_options: [{ value: 'service-mesh' }] } },
            'override:reason': { reason: { type: 'plain_text_input', value: 'Audit wants <mTLS> & more' } },
          },
        },
      },
    });
    expect(res.status).toBe(200);
    const decided = await decisionCard(1, before);
    const shown = textOf(decided);
    const rec = recommend(flow, SMALL_TEAM);
    expect(shown).toContain('overrode the recommendation');
    expect(shown).toContain(`mesh-help recommended *${flow.patternById.get(rec.primary)?.name}`);
    expect(shown).toContain('the team chose *Service mesh*');
    expect(shown).toContain('Audit wants &lt;mTLS&gt; &amp; more');
    expect(shown).not.toContain('<mTLS>');

    const beforeExport = h.fake.calls.length;
    await h.interact(selectPayload(h.fake, decided, 'decision:export-menu', 'upload', ALICE));
    await h.fake.waitFor((c) => c.seq > beforeExport && c.method === 'files.completeUploadExternal');
    const [bytes = ''] = uploadedText(beforeExport);
    expect(bytes).toContain('Chosen option: "Service mesh", because Audit wants');
    expect(bytes).toContain("The team overrode mesh-help's recommendation");
    expect(h.fake.violations).toEqual([]);
  });
});

describe('/mesh-help export', () => {
  it('uploads every ADR and the README.md index in one upload, in a thread under one message in the channel', async () => {
    h = await startHarness();
    const empty = await command('export');
    expect(String(empty.params.text)).toContain('No decisions to export yet');
    expect(h.fake.called('files.completeUploadExternal')).toEqual([]);

    await decide('First call');
    await h.idle();
    await decide('Second call');
    await h.idle();
    const before = h.fake.calls.length;
    const res = await h.command('export', BOB);
    expect(res.status).toBe(200);
    const done = await h.fake.waitFor((c) => c.seq > before && c.method === 'files.completeUploadExternal');
    await h.idle();
    const parent = h.fake.calls.find((c) => c.seq > before && isPost(c));
    expect(parent?.params.channel).toBe(CHANNEL);
    expect(textOf(parent?.params ?? {})).toContain('2 records');
    const names = h.fake.calls
      .filter((c) => c.seq > before && c.method === 'files.getUploadURLExternal')
      .map((c) => String(c.params.filename))
      .sort();
    expect(names).toEqual(['0001-first-call.md', '0002-second-call.md', 'README.md']);
    expect(h.fake.called('files.completeUploadExternal').filter((c) => c.seq > before)).toHaveLength(1);
    expect(done.params.files).toHaveLength(3);
    expect(done.params.channel_id).toBe(CHANNEL);
    const parentTs = [...h.fake.messages.values()].find((m) => m.text === parent?.params.text)?.ts;
    expect(done.params.thread_ts).toBe(parentTs);
    const bodies = uploadedText(before);
    expect(bodies.some((b) => b.includes('<!-- adrlog -->') && b.includes('ADR-0002'))).toBe(true);
    expect(bodies.filter((b) => b.includes('Chosen option:'))).toHaveLength(2);
    expect(h.fake.violations).toEqual([]);
  });
});

describe('revisit and supersede from Slack', () => {
  it('start revisit ADR-0001 → accept supersedes the old record, links both ways in the store, the card and the export', async () => {
    h = await startHarness();
    const refused = await command('start revisit ADR-0001 Too early');
    expect(String(refused.params.text)).toContain('There is no ADR-0001');
    expect(h.fake.called('chat.postMessage')).toEqual([]);

    const first = await decide('Mesh for payments');
    await decisionCard(1, first.before);
    const start = h.fake.calls.length;
    const rootTs = await startInterview(h, 'revisit ADR-0001 Payments, a year on');
    const root = h.fake.message(CHANNEL, rootTs);
    expect(textOf(root ?? {})).toContain('to revisit *ADR-0001*');
    expect(doc().sessions[1]?.revisits).toBe(1);
    await runInterview(h, rootTs, {
      clusters: 'multi-region',
      fleet: '2-5',
      services: 'under-10',
      pains: ['cross-cluster-calls'],
      network: 'flat',
      cni: 'cilium',
      l7_between_clusters: 'no',
      regulated: 'no',
      existing_mesh: 'none',
      platform: 'self-managed',
      ops: 'none',
      overhead: 'normal',
      other_workloads: ['none'],
    });
    const card = await waitForCard(h, start);
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:accept', BOB));
    const decided = await decisionCard(2, before);
    expect(textOf(decided)).toContain('Supersedes *ADR-0001* Mesh for payments');
    const [oldRecord, newRecord] = doc().decisions;
    expect(oldRecord).toMatchObject({ number: 1, status: 'superseded', supersededBy: 2 });
    expect(newRecord).toMatchObject({ number: 2, status: 'accepted', supersedes: 1 });
    // The old thread is told.
    const note = h.fake.calls.find(
      (c) =>
        c.seq > before &&
        isPost(c) &&
        c.params.thread_ts === first.rootTs &&
        String(c.params.text).includes('superseded'),
    );
    expect(note).toBeDefined();
    // An already superseded record cannot be revisited again.
    const again = await command('start revisit 1 Once more');
    expect(String(again.params.text)).toContain('ADR-0001 is superseded');

    const beforeExport = h.fake.calls.length;
    await h.command('export');
    await h.fake.waitFor((c) => c.seq > beforeExport && c.method === 'files.completeUploadExternal');
    await h.idle();
    const bodies = uploadedText(beforeExport);
    const oldFile = bodies.find((b) => b.includes('# Mesh for payments')) ?? '';
    const newFile = bodies.find((b) => b.includes('# Payments, a year on')) ?? '';
    expect(oldFile).toContain('status: superseded by ADR-0002');
    expect(oldFile).toContain('Superseded by [ADR-0002');
    expect(newFile).toContain('Supersedes [ADR-0001');
    expect(bodies.some((b) => b.includes('ADR0002 -->|supersedes| ADR0001'))).toBe(true);
    expect(h.fake.violations).toEqual([]);
  });
});

describe('approvals', () => {
  it('with config approvals 2, accept waits for two different people; the same person twice counts once', async () => {
    h = await startHarness();
    const saved = await command('config approvals 2');
    expect(String(saved.params.text)).toContain('2 approvals');
    expect(doc().config.approvals).toBe(2);
    const tooMany = await command('config approvals 11');
    expect(String(tooMany.params.text)).toContain('0 to 10');
    expect(doc().config.approvals).toBe(2);

    const rootTs = await startInterview(h, 'Two approvals');
    await runInterview(h, rootTs, SMALL_TEAM);
    let card = await waitForCard(h);
    expect(actionIds(card)).toEqual([
      'decision:accept',
      'decision:approve',
      'decision:override',
      'concern:raise',
      'deadline:open',
      'details:open',
    ]);
    expect(textOf(card)).toContain('0 of 2');

    const click = async (action: string, who: Person) => {
      const before = h.fake.calls.length;
      await h.interact(actionPayload(h.fake, h.fake.message(CHANNEL, card.ts) ?? card, action, who));
      await h.idle();
      return h.fake.calls.slice(before);
    };
    await click('decision:approve', ALICE);
    expect(textOf(h.fake.message(CHANNEL, card.ts) ?? {})).toContain('1 of 2');
    expect(textOf(h.fake.message(CHANNEL, card.ts) ?? {})).toContain('<@U0ALICE>');
    const refused = await click('decision:accept', ALICE);
    expect(String(refused.find((c) => c.method === 'response_url')?.params.text)).toContain('1 more needed');
    expect(doc().decisions).toEqual([]);

    const twice = await click('decision:approve', ALICE);
    expect(String(twice.find((c) => c.method === 'response_url')?.params.text)).toContain('counts once (1 of 2)');
    expect(((doc().sessions[0]?.approvals ?? []) as Json[]).map((a) => a.by)).toEqual([ALICE.id]);
    const stillRefused = await click('decision:accept', BOB);
    expect(String(stillRefused.find((c) => c.method === 'response_url')?.params.text)).toContain('1 more needed');
    expect(doc().decisions).toEqual([]);

    await click('decision:approve', BOB);
    card = h.fake.message(CHANNEL, card.ts) ?? card;
    expect(textOf(card)).toContain('2 of 2');
    const before = h.fake.calls.length;
    await click('decision:accept', ALICE);
    const decided = await decisionCard(1, before);
    const d = doc().decisions[0] ?? {};
    expect(d.status).toBe('accepted');
    expect((d.approvals as Json[]).map((a) => a.by)).toEqual([ALICE.id, BOB.id]);
    expect(textOf(decided)).toContain('<@U0ALICE>, <@U0BOB>');
    expect(h.fake.violations).toEqual([]);
  });
});

describe('another organisation in a shared channel', () => {
  it('cannot approve, reopen or change the config; the team file stays byte-identical', async () => {
    h = await startHarness();
    await command('config approvals 1');
    const rootTs = await startInterview(h, 'Guarded');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);

    let before = h.teamFileText();
    let calls = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:approve', EVE));
    await h.idle();
    expect(h.teamFileText()).toBe(before);
    expect(h.fake.calls.slice(calls).map((c) => c.method)).toEqual(['response_url']);
    expect(String(h.fake.calls.at(-1)?.params.text)).toContain('another organisation');

    for (const text of ['config approvals 0', 'config channel C0EVIL']) {
      const reply = await command(text, EVE);
      expect(String(reply.params.text)).toContain('only its members can change them');
    }
    expect(h.teamFileText()).toBe(before);
    expect(h.teamFile('T0OTHER')).toBeUndefined();

    await h.interact(actionPayload(h.fake, card, 'decision:approve', BOB));
    await h.idle();
    calls = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, h.fake.message(CHANNEL, card.ts) ?? card, 'decision:accept', ALICE));
    const decided = await decisionCard(1, calls);

    before = h.teamFileText();
    calls = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, decided, 'decision:reopen', EVE));
    await h.idle();
    expect(h.teamFileText()).toBe(before);
    expect(h.fake.calls.slice(calls).map((c) => c.method)).toEqual(['response_url']);
    expect(String(h.fake.calls.at(-1)?.params.text)).toContain('Only people of the record’s own team can reopen it');
    // Exporting only reads: it works for a guest, and changes nothing.
    await h.interact(selectPayload(h.fake, decided, 'decision:export-menu', 'upload', EVE));
    await h.fake.waitFor((c) => c.seq > calls && c.method === 'files.completeUploadExternal');
    await h.idle();
    expect(h.teamFileText()).toBe(before);
    expect(doc().decisions[0]?.status).toBe('accepted');
  });
});

describe('reopen', () => {
  it('someone of the team reopens a record: it is proposed again and accepting keeps its number', async () => {
    h = await startHarness();
    const { card, before } = await decide('Reopen me');
    const decided = await decisionCard(1, before);
    const calls = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, decided, 'decision:reopen', BOB));
    await h.fake.waitFor(
      (c) => c.seq > calls && c.method === 'chat.update' && c.params.ts === decided.ts,
      5000,
      'the reopened card',
    );
    await h.idle();
    expect(doc().decisions[0]).toMatchObject({ number: 1, status: 'proposed' });
    expect(doc().sessions[0]?.status).toBe('complete');
    const reopenedCard = h.fake.message(CHANNEL, decided.ts);
    expect(textOf(reopenedCard ?? {})).toContain('*proposed*');
    expect(actionIds(reopenedCard ?? {})).toEqual(['decision:export-menu', 'decision:reject']);
    // The recommendation card takes decisions again.
    const recCard = h.fake.message(CHANNEL, card.ts) ?? card;
    expect(actionIds(recCard)).toContain('decision:accept');
    const again = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, recCard, 'decision:accept', ALICE));
    await decisionCard(1, again);
    const d = doc();
    expect(d.decisions).toHaveLength(1);
    expect(d.decisions[0]).toMatchObject({ number: 1, status: 'accepted', decidedBy: ALICE.id });
    expect(h.fake.violations).toEqual([]);
  });
});

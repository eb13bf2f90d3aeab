import { afterEach, describe, expect, it } from 'vitest';
import { checklistKey } from '../../../src/engine/checklist.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { FOREIGN_TEAM } from '../../../src/slack/notices/outcomes.js';
import { TeamDoc } from '../../../src/store/index.js';
import {
  answerPayload,
  checklistPayload,
  isCardPost,
  reopenQuestion,
  runInterview,
  startInterview,
  waitForCard,
} from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

const flow = getFlow();
type Json = Record<string, unknown>;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());

/** One cluster, 50+ services, mTLS and flaky calls: a service mesh with a readiness checklist. */
const MESH_TEAM: Record<string, string | string[]> = {
  clusters: 'one',
  services: '50-plus',
  pains: ['mtls', 'flaky-calls'],
  regulated: 'no',
  existing_mesh: 'none',
  platform: 'self-managed',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
};

const itemKey = (answers: Record<string, string | string[]>, starts: string): string => {
  const item = recommend(flow, answers).checklist.find((c) => c.item.startsWith(starts));
  if (!item) throw new Error(`no checklist item starting "${starts}"`);
  return checklistKey(item);
};
const OWNER = itemKey(MESH_TEAM, 'Name the owner');
const RETRIES = itemKey(MESH_TEAM, 'Set timeouts and retry budgets');
const BASELINE = itemKey(MESH_TEAM, 'Measure p99 latency');

const isChecklistPost = (c: Call) => isPost(c) && JSON.stringify(c.params.blocks).includes('"Readiness checklist: ');

/** The checklist posted after call `after`, as stored by the fake Slack. */
async function waitForChecklist(after: number): Promise<{ call: Call; msg: StoredMessage }> {
  const call = await h.fake.waitFor((c) => c.seq > after && isChecklistPost(c), 5000, 'the readiness checklist');
  await h.idle();
  const msg = [...h.fake.messages.values()].find(
    (m) => m.thread_ts === call.params.thread_ts && JSON.stringify(m.blocks) === JSON.stringify(call.params.blocks),
  );
  if (!msg) throw new Error('checklist not stored');
  return { call, msg };
}

/** Clicks the checkbox of an item of the message as this person sees it; returns the calls that followed. */
async function click(msg: StoredMessage, key: string, who: Person): Promise<Call[]> {
  const seq = h.fake.calls.length;
  expect((await h.interact(checklistPayload(h, msg, key, who))).status).toBe(200);
  await h.idle();
  return h.fake.calls.filter((c) => c.seq > seq);
}

const current = (msg: StoredMessage): StoredMessage => h.fake.message(CHANNEL, msg.ts) ?? msg;
const boxes = (msg: StoredMessage): Json[] =>
  current(msg)
    .blocks.flatMap((b) => (Array.isArray(b.elements) ? (b.elements as Json[]) : []))
    .filter((e) => e.type === 'checkboxes');
/** An item as the message shows it now: ✅ or ☐, then the line under it (who ticked and when, why); '' when absent. */
const itemText = (msg: StoredMessage, key: string): string => {
  for (const e of boxes(msg)) {
    const option = ((e.options ?? []) as Json[]).find((o) => o.value === key);
    if (!option) continue;
    const ticked = ((e.initial_options ?? []) as Json[]).some((o) => o.value === key);
    return `${ticked ? '✅' : '☐'} ${String((option.description as Json).text)}`;
  }
  return '';
};
const notices = (calls: Call[]) => calls.filter((c) => c.method === 'response_url').map((c) => String(c.params.text));
const updatesOf = (calls: Call[], ts: string) => calls.filter((c) => c.method === 'chat.update' && c.params.ts === ts);

describe('the readiness checklist in the thread', () => {
  it('is posted after the card, ticked by anyone on the team, kept through a changed answer and the decision', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, MESH_TEAM);
    const card = await waitForCard(h);
    const { call: posted, msg: list } = await waitForChecklist(0);

    // Right after the card, in its thread, not broadcast; its ts is stored on the session.
    const cardPost = h.fake.calls.find(isCardPost);
    const postsAfterCard = h.fake.calls.filter((c) => isPost(c) && c.seq > (cardPost?.seq ?? 0));
    expect(postsAfterCard[0]).toBe(posted);
    expect(posted.params).toMatchObject({ channel: CHANNEL, thread_ts: rootTs });
    expect(posted.params.reply_broadcast).toBeUndefined();
    expect(doc().sessions[0]?.checklistTs).toBe(list.ts);
    const items = recommend(flow, MESH_TEAM).checklist;
    expect(String(posted.params.text)).toBe(`Readiness checklist: 0 of ${items.length} done`);
    for (const item of items) expect(textOf(list)).toContain(item.item.slice(0, 40).replace(/"/g, '\\"'));

    // Bob ticks an item: the message shows who ticked it, the team file stores it.
    let calls = await click(current(list), OWNER, BOB);
    expect(updatesOf(calls, list.ts)).toHaveLength(1);
    expect(itemText(list, OWNER)).toMatch(/^✅ Ticked by @u0bob on \d{4}-\d{2}-\d{2} · Why: /);
    expect(textOf(current(list))).toContain(`1 of ${items.length} done`);
    expect(doc().sessions[0]?.checklistTicks[OWNER]).toMatchObject({ by: BOB.id, byName: 'u0bob' });
    expect(notices(calls)).toEqual([]);

    // A double click (the same Done twice, even at once) stores one tick and says nothing.
    const done = checklistPayload(h, current(list), RETRIES, ALICE);
    let seq = h.fake.calls.length;
    await Promise.all([h.interact(done), h.interact(done)]);
    await h.idle();
    calls = h.fake.calls.filter((c) => c.seq > seq);
    expect(updatesOf(calls, list.ts)).toHaveLength(1);
    expect(notices(calls)).toEqual([]);
    expect(Object.keys(doc().sessions[0]?.checklistTicks ?? {}).sort()).toEqual([OWNER, RETRIES].sort());
    // Bob ticking on a message that still shows Alice's item open is told she was quicker.
    calls = await click({ ...list, blocks: posted.params.blocks as Json[] }, RETRIES, BOB);
    expect(notices(calls)).toEqual([expect.stringContaining('<@U0ALICE> ticked this item already')]);

    // Someone from another organisation in the shared channel cannot tick.
    calls = await click(current(list), BASELINE, EVE);
    expect(notices(calls)).toEqual([FOREIGN_TEAM]);
    expect(updatesOf(calls, list.ts)).toEqual([]);
    expect(doc().sessions[0]?.checklistTicks[BASELINE]).toBeUndefined();

    // A changed answer replaces card and checklist; ticks of items still listed stay, the new item is open.
    const changed = { ...MESH_TEAM, pains: ['mtls', 'tracing'] };
    const TRACES = itemKey(changed, 'Make every service propagate trace headers');
    seq = h.fake.calls.length;
    await reopenQuestion(h, rootTs, 'pains', BOB);
    await h.interact(answerPayload(h, rootTs, 'pains', ['mtls', 'tracing'], BOB));
    await waitForCard(h, seq);
    const { msg: list2 } = await waitForChecklist(seq);
    // Both cards read the same (service mesh), so the new one is found by the ts the session stores.
    const newCard = h.fake.message(CHANNEL, doc().sessions[0]?.cardTs ?? '');
    if (!newCard) throw new Error('new card not stored');
    expect(newCard.ts).not.toBe(card.ts);
    expect(textOf(current(list))).toContain('this checklist no longer holds');
    expect(boxes(list)).toEqual([]);
    expect(doc().sessions[0]?.checklistTs).toBe(list2.ts);
    expect(itemText(list2, OWNER)).toMatch(/^✅ Ticked by @u0bob/);
    expect(itemText(list2, TRACES)).toMatch(/^☐ Why: /);
    expect(itemText(list2, RETRIES)).toBe('');
    const total2 = recommend(flow, changed).checklist.length;
    expect(textOf(current(list2))).toContain(`1 of ${total2} done`);
    // A click on the replaced checklist (a client that still shows its buttons) is refused.
    calls = await click({ ...list, blocks: posted.params.blocks as Json[] }, BASELINE, ALICE);
    expect(notices(calls)).toEqual([expect.stringContaining('This checklist was replaced')]);
    expect(doc().sessions[0]?.checklistTicks[BASELINE]).toBeUndefined();

    // Accepting moves the ticks to the decision; ticking goes on there.
    seq = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, newCard, 'decision:accept', ALICE));
    await h.fake.waitFor((c) => c.seq > seq && c.method === 'chat.update' && c.params.ts === newCard.ts);
    await h.idle();
    expect(doc().decisions[0]?.checklistTs).toBe(list2.ts);
    expect(Object.keys(doc().decisions[0]?.checklistTicks ?? {})).toContain(OWNER);
    calls = await click(current(list2), TRACES, ALICE);
    expect(notices(calls)).toEqual([]);
    expect(updatesOf(calls, list2.ts)).toHaveLength(1);
    expect(doc().decisions[0]?.checklistTicks[TRACES]).toMatchObject({ by: ALICE.id, byName: 'u0alice' });
    expect(doc().sessions[0]?.checklistTicks).toEqual({});
    expect(itemText(list2, TRACES)).toMatch(/^✅ Ticked by @u0alice/);
    expect(textOf(current(list2))).toContain(`2 of ${total2} done`);

    // Unticking takes the tick off the decision; the same untick twice at once changes it once.
    const undo = checklistPayload(h, current(list2), TRACES, BOB);
    seq = h.fake.calls.length;
    await Promise.all([h.interact(undo), h.interact(undo)]);
    await h.idle();
    calls = h.fake.calls.filter((c) => c.seq > seq);
    expect(updatesOf(calls, list2.ts)).toHaveLength(1);
    expect(notices(calls)).toEqual([]);
    expect(doc().decisions[0]?.checklistTicks[TRACES]).toBeUndefined();
    expect(itemText(list2, TRACES)).toMatch(/^☐ /);

    // A forged selection (an item that is not listed, or no item at all) is refused and stores nothing.
    const before = JSON.stringify(doc().decisions[0]?.checklistTicks);
    for (const value of [RETRIES, '<!channel>']) {
      // What the message shows ticked, plus the forged item.
      const forged = checklistPayload(h, current(list2), TRACES, ALICE);
      const [action] = forged.actions as Json[];
      const shown = ((action?.selected_options ?? []) as Json[]).filter((o) => o.value !== TRACES);
      seq = h.fake.calls.length;
      await h.interact({ ...forged, actions: [{ ...action, selected_options: [...shown, { value }] }] });
      await h.idle();
      calls = h.fake.calls.filter((c) => c.seq > seq);
      expect(notices(calls)).toEqual([expect.stringMatching(/not on this checklist|not one I know/)]);
      expect(updatesOf(calls, list2.ts)).toEqual([]);
    }
    expect(JSON.stringify(doc().decisions[0]?.checklistTicks)).toBe(before);
    expect(h.fake.violations).toEqual([]);
  });

  it('keeps both ticks when two people tick different items at once, and records who ticked and untick', async () => {
    let clock = new Date('2026-12-01T09:00:00.000Z');
    h = await startHarness({ now: () => clock });
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, MESH_TEAM);
    await waitForCard(h);
    const { msg: list } = await waitForChecklist(0);
    const total = recommend(flow, MESH_TEAM).checklist.length;
    // Everyone looks at the same message; Alice and Bob each tick a different item at the same moment.
    const seen = current(list);
    const results = await Promise.all([
      h.interact(checklistPayload(h, seen, OWNER, ALICE)),
      h.interact(checklistPayload(h, seen, RETRIES, BOB)),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await h.idle();
    const ticks = () => doc().sessions[0]?.checklistTicks ?? {};
    expect(ticks()[OWNER]).toEqual({ by: ALICE.id, byName: 'u0alice', at: clock.toISOString() });
    expect(ticks()[RETRIES]).toEqual({ by: BOB.id, byName: 'u0bob', at: clock.toISOString() });
    expect(itemText(list, OWNER)).toMatch(/^✅ Ticked by @u0alice on 2026-12-01 · /);
    expect(itemText(list, RETRIES)).toMatch(/^✅ Ticked by @u0bob on 2026-12-01 · /);
    expect(textOf(current(list))).toContain(`2 of ${total} done`);

    // A third person still on the first view ticks another item: the selection Slack sends lacks the two
    // new ticks, but only what this person changed counts, so both stay.
    clock = new Date('2026-12-02T09:00:00.000Z');
    let calls = await click(seen, BASELINE, ALICE);
    expect(notices(calls)).toEqual([]);
    expect(updatesOf(calls, list.ts)).toHaveLength(1);
    expect(Object.keys(ticks()).sort()).toEqual([OWNER, RETRIES, BASELINE].sort());
    expect(ticks()[BASELINE]?.at).toBe(clock.toISOString());
    expect(textOf(current(list))).toContain(`3 of ${total} done`);

    // Bob unticks Alice's item on the current view: it is open again, the others keep who ticked them.
    calls = await click(current(list), OWNER, BOB);
    expect(updatesOf(calls, list.ts)).toHaveLength(1);
    expect(ticks()[OWNER]).toBeUndefined();
    expect(itemText(list, OWNER)).toMatch(/^☐ Why: /);
    expect(itemText(list, RETRIES)).toMatch(/^✅ Ticked by @u0bob on 2026-12-01/);
    // And ticks it again later: it records him and the new day.
    clock = new Date('2026-12-03T09:00:00.000Z');
    await click(current(list), OWNER, BOB);
    expect(ticks()[OWNER]).toEqual({ by: BOB.id, byName: 'u0bob', at: clock.toISOString() });
    expect(itemText(list, OWNER)).toMatch(/^✅ Ticked by @u0bob on 2026-12-03/);
    // Every state had its own block_id, so Slack never kept a stale selection.
    const ids = h.fake.calls
      .filter((c) => c.params.ts === list.ts || (isChecklistPost(c) && c.method === 'chat.postMessage'))
      .map((c) => JSON.stringify(((c.params.blocks ?? []) as Json[]).map((b) => b.block_id)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(h.fake.violations).toEqual([]);
  });

  it('goes with its card when a changed answer asks a new question, and comes back with the next card', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, MESH_TEAM);
    const card = await waitForCard(h);
    const { msg: list } = await waitForChecklist(0);
    await click(current(list), OWNER, BOB);
    expect(doc().sessions[0]?.checklistTicks[OWNER]).toBeDefined();

    // Regulated now: the FIPS question applies, so the interview is open again and the card and checklist retire.
    let seq = h.fake.calls.length;
    await reopenQuestion(h, rootTs, 'regulated', ALICE);
    await h.interact(answerPayload(h, rootTs, 'regulated', 'yes', ALICE));
    await h.fake.waitFor(
      (c) => c.seq > seq && c.method === 'chat.update' && JSON.stringify(c.params.blocks).includes('"q:fips"'),
    );
    await h.idle();
    expect(textOf(current(list))).toContain('this checklist no longer holds');
    expect(textOf(h.fake.message(CHANNEL, card.ts) ?? {})).toContain('An answer changed');
    expect(doc().sessions[0]?.checklistTs).toBeUndefined();
    const calls = await click(
      { ...list, blocks: h.fake.calls.find(isChecklistPost)?.params.blocks as Json[] },
      RETRIES,
      ALICE,
    );
    expect(notices(calls)).toEqual([expect.stringContaining('This checklist was replaced')]);

    // Answering it brings a new card and a new checklist; Bob's tick is still there.
    seq = h.fake.calls.length;
    await h.interact(answerPayload(h, rootTs, 'fips', 'no', ALICE));
    const { msg: list2 } = await waitForChecklist(seq);
    expect(list2.ts).not.toBe(list.ts);
    expect(doc().sessions[0]?.checklistTs).toBe(list2.ts);
    expect(itemText(list2, OWNER)).toMatch(/^✅ Ticked by @u0bob/);
    expect(h.fake.violations).toEqual([]);
  });

  it('is not posted when the recommendation has no checklist', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const small = {
      clusters: 'one',
      services: 'under-10',
      pains: ['none'],
      regulated: 'no',
      existing_mesh: 'none',
      ops: 'none',
    };
    expect(recommend(flow, small).checklist).toEqual([]);
    await runInterview(h, rootTs, small);
    await waitForCard(h);
    await h.idle();
    expect(h.fake.calls.filter(isChecklistPost)).toEqual([]);
    expect(doc().sessions[0]?.checklistTs).toBeUndefined();
  });
});

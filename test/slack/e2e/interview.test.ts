import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACT_QUESTIONS } from '../../../src/engine/contract.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import {
  answer,
  isCardPost,
  runInterview,
  SMALL_TEAM,
  startInterview,
  waitForCard,
  waitForQuestion,
} from '../../support/driver.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  elementsOf,
  type Harness,
  interviewOf,
  isPost,
  questionMessage,
  startHarness,
  textOf,
} from '../../support/harness.js';

const flow = getFlow();
type Json = Record<string, unknown>;

/** A team with several regions and real pains: the multi-cluster and v2 questions are asked, in the interview's order. */
const SCRIPT: Record<string, string | string[]> = {
  clusters: 'multi-region',
  fleet: '2-5',
  services: '50-plus',
  pains: ['mtls', 'region-failover', 'cross-cluster-calls'],
  traffic: 'both',
  data: 'replicated',
  network: 'flat',
  cni: 'cilium',
  l7_between_clusters: 'yes',
  regulated: 'yes',
  fips: 'no',
  existing_mesh: 'none',
  platform: 'self-managed',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
};

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('the threaded interview over signed HTTP', () => {
  it('walks /mesh-help start through every question to the card and records decision:accept in the team file', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const root = h.fake.message(CHANNEL, rootTs);
    expect(root?.text).toContain('Payments networking');
    expect(textOf(root ?? {})).toContain('<@U0ALICE>');

    const asked: string[] = [];
    const order = Object.keys(SCRIPT);
    for (const [i, id] of order.entries()) {
      const q = flow.questionById.get(id);
      if (!q) throw new Error(`unknown question ${id}`);
      const msg = await waitForQuestion(h, rootTs, id);
      // The contract: block_id q:<id>, each choice's value an option id (checkboxes + confirm for pains).
      const els = elementsOf(msg, `q:${id}`);
      const contract = CONTRACT_QUESTIONS[id as keyof typeof CONTRACT_QUESTIONS];
      if (q.kind === 'multi') {
        const boxes = els.find((e) => e.type === 'checkboxes');
        expect(((boxes?.options ?? []) as Json[]).map((o) => o.value)).toEqual(expect.arrayContaining([...contract]));
        expect(els.some((e) => e.type === 'button')).toBe(true);
      } else {
        expect(els.map((e) => e.value)).toEqual(expect.arrayContaining([...contract]));
      }
      expect(textOf(msg)).toMatch(new RegExp(`Question ${i + 1} of (at most )?\\d+`));
      expect(textOf(msg)).toContain(':bulb:');
      // Every answer so far sits above the question, by its label.
      for (const done of asked) expect(textOf(msg)).toContain(`${flow.questionById.get(done)?.short}: *`);
      await answer(h, rootTs, id, SCRIPT[id] ?? '', i % 2 ? BOB : ALICE);
      asked.push(id);
    }
    expect(asked).toEqual(Object.keys(SCRIPT));
    // One interview message, updated in place: it now shows the answers and no question.
    const interview = interviewOf(h.fake, rootTs);
    expect(interview && questionMessage(h.fake, CHANNEL, rootTs, 'clusters')).toBeUndefined();
    expect(textOf(interview ?? {})).toContain('Clusters: *Clusters in several regions*');

    // The recommendation card: in the thread only (not broadcast), with its decision buttons.
    const card = await waitForCard(h);
    const cardPost = h.fake.calls.find(isCardPost);
    expect(cardPost?.params.thread_ts).toBe(rootTs);
    expect(cardPost?.params.reply_broadcast).toBeUndefined();
    const expected = recommend(flow, SCRIPT);
    const cardText = textOf(card);
    // Issue #17: the card leads with what to do, naming each first-choice tool; the rest is behind Details.
    const firsts = expected.tools.filter((t) => t.fit === 'first-choice');
    expect(firsts.length).toBeGreaterThan(0);
    const top = JSON.stringify(card.blocks.slice(0, 2));
    for (const t of firsts) expect(top).toContain(flow.toolById.get(t.tool)?.name ?? t.tool);
    if (expected.warnings[0]) expect(cardText).toContain(expected.warnings[0].slice(0, 40));
    expect(cardText).not.toContain('Ruled out for now');
    expect(cardText).toContain(`${expected.checklist.length} readiness checks`);
    // Three reasons, each with the question and answer it rests on.
    expect(cardText.match(/\? → /g) ?? []).toHaveLength(3);
    expect(elementsOf(card, 'decision').map((e) => e.action_id)).toEqual([
      'decision:accept',
      'decision:override',
      'concern:raise',
      'deadline:open',
      'details:open',
    ]);

    const stored = h.teamFile() as { sessions: Json[] };
    expect(stored.sessions[0]?.status).toBe('complete');
    expect(stored.sessions[0]?.cardTs).toBe(card.ts);

    // Accept: stored as the team's accepted decision, the card and the root say so.
    await h.interact(actionPayload(h.fake, card, 'decision:accept', BOB));
    await h.fake.waitFor(
      (c) =>
        c.method === 'chat.update' && c.params.ts === card.ts && JSON.stringify(c.params.blocks).includes('ADR-0001'),
      5000,
      'the decided card',
    );
    await h.fake.waitFor(
      (c) =>
        c.method === 'chat.update' && c.params.ts === rootTs && JSON.stringify(c.params.blocks).includes('Decided'),
      5000,
      'the decided root',
    );
    await h.idle();
    const doc = h.teamFile() as { decisions: Json[]; sessions: Json[] };
    expect(doc.decisions).toHaveLength(1);
    const decision = doc.decisions[0] ?? {};
    expect(decision.status).toBe('accepted');
    expect(decision.chosen).toEqual([expected.primary, ...expected.complements]);
    expect(decision.decidedBy).toBe(BOB.id);
    // The handle Slack sends with the click is kept, so the ADR's decision-makers read as names.
    expect(decision.decidedByName).toBe(BOB.id.toLowerCase());
    expect(decision.channel).toBe(CHANNEL);
    expect(decision.threadTs).toBe(rootTs);
    expect(String(decision.permalink)).toContain(CHANNEL);
    expect(doc.sessions[0]?.status).toBe('decided');
    expect(doc.sessions[0]?.decisionNumber).toBe(1);
    // The decided card takes no more decisions (its concern buttons stay: see discussion-concerns.test.ts).
    expect(h.fake.message(CHANNEL, card.ts)?.blocks.some((b) => b.block_id === 'decision')).toBe(false);

    // One message carried every question (posted once, then updated), and every message and view stayed inside
    // Block Kit's limits. Decided, it keeps the answers and no control.
    expect(h.fake.calls.filter((c) => isPost(c) && JSON.stringify(c.params.blocks).includes('"q:'))).toHaveLength(1);
    expect(textOf(h.fake.message(CHANNEL, interview?.ts ?? '') ?? {})).not.toContain('action_id');
    expect(textOf(h.fake.message(CHANNEL, interview?.ts ?? '') ?? {})).toContain(
      'Clusters: *Clusters in several regions*',
    );
    expect(h.fake.violations).toEqual([]);
    // Not Web API calls: a response_url post, and a file's bytes sent to the URL files.getUploadURLExternal gave.
    expect(
      h.fake.calls.every((c) => ['response_url', 'upload'].includes(c.method) || c.token === 'xoxb-test-token'),
    ).toBe(true);
  });

  it('a second accept (double-click) is refused privately and records nothing more', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const click = actionPayload(h.fake, card, 'decision:accept', ALICE);
    // A real double click sends two payloads (each its own trigger_id); an exact replay is dropped earlier (bad-input.test.ts).
    await Promise.all([h.interact(click), h.interact({ ...click, trigger_id: `${String(click.trigger_id)}-2` })]);
    await h.idle();
    const doc = h.teamFile() as { decisions: Json[] };
    expect(doc.decisions).toHaveLength(1);
    const notes = h.fake.called('response_url').map((c) => String(c.params.text));
    expect(notes.some((t) => t.includes('already decided as ADR-0001'))).toBe(true);
    expect(h.fake.violations).toEqual([]);
  });
});

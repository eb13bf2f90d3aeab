import { afterEach, describe, expect, it } from 'vitest';
import { nextQuestion } from '../../../src/engine/answers.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { answer, startInterview, waitForCard, waitForQuestion } from '../../support/driver.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  interviewOf,
  selectPayload,
  startHarness,
  textOf,
} from '../../support/harness.js';

const flow = getFlow();
type Json = Record<string, unknown>;

/** A multi-region team that already runs Istio on EKS: fifteen questions are asked. */
const PROFILE: Answers = {
  clusters: 'multi-region',
  fleet: '2-5',
  services: '50-plus',
  pains: ['mtls', 'region-failover', 'cross-cluster-calls'],
  traffic: 'both',
  data: 'replicated',
  network: 'flat',
  cni: 'cilium',
  l7_between_clusters: 'yes',
  regulated: 'no',
  existing_mesh: 'istio',
  platform: 'eks',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
};

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every interactive element a person sees in a message (buttons, menus, checkboxes, wherever they sit). */
function controls(blocks: unknown[]): Json[] {
  const out: Json[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if (typeof v.action_id === 'string') out.push(v);
      else for (const x of Object.values(v)) walk(x);
    }
  };
  walk(blocks);
  return out;
}

/**
 * The characters a person sees in a message: every text object, except the
 * options of a menu (shown only once it is opened).
 */
function visibleChars(blocks: unknown[]): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if ((v.type === 'plain_text' || v.type === 'mrkdwn') && typeof v.text === 'string') n += v.text.length;
      for (const [k, x] of Object.entries(v)) {
        const hidden = k === 'options' && (v.type === 'static_select' || v.type === 'overflow');
        if (!hidden && k !== 'text') walk(x);
        else if (k === 'text' && isObj(x)) walk(x);
      }
    }
  };
  walk(blocks);
  return n;
}

/** What one bot message in the thread costs its readers. */
type Cost = { what: string; controls: number; chars: number };
const costOf = (what: string, m: StoredMessage): Cost => ({
  what,
  controls: controls(m.blocks).length,
  chars: visibleChars(m.blocks),
});

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('a finished interview’s thread (signed requests, fake Web API)', () => {
  it('keeps the interview to one message whose progress total never grows, and counts what the whole thread costs', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h, 'Payments across regions');

    // Walk the interview as people do, two of them taking turns, reading the message each time.
    const totals: number[] = [];
    const asked: string[] = [];
    let answers: Answers = {};
    for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
      const value = PROFILE[q.id];
      if (value === undefined) throw new Error(`the profile does not answer ${q.id}`);
      const msg = await waitForQuestion(h, rootTs, q.id);
      const progress = /Question (\d+) of (?:at most )?(\d+)/.exec(textOf(msg));
      expect(Number(progress?.[1]), q.id).toBe(asked.length + 1);
      totals.push(Number(progress?.[2]));
      await answer(h, rootTs, q.id, value, asked.length % 2 ? BOB : ALICE);
      asked.push(q.id);
      answers = { ...answers, [q.id]: value };
    }
    expect(asked).toHaveLength(15);
    // The total shown never grew, and it never promised fewer questions than were asked.
    for (let i = 1; i < totals.length; i++)
      expect(totals[i], `total at question ${i + 1}`).toBeLessThanOrEqual(totals[i - 1] ?? 0);
    expect(Math.min(...totals)).toBeGreaterThanOrEqual(asked.length);
    expect(totals.at(-1)).toBe(asked.length);

    const card = await waitForCard(h);
    await h.interact(actionPayload(h.fake, card, 'decision:accept', BOB));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.params.blocks).includes('"adr:1"'));
    await h.idle();
    const decisionCard = h.fake
      .thread(CHANNEL, rootTs)
      .find((m) => m.blocks.some((b) => isObj(b) && String(b.block_id).startsWith('adr:')));
    if (!decisionCard) throw new Error('no decision card in the thread');
    await h.interact(selectPayload(h.fake, decisionCard, 'decision:export-menu', 'upload', ALICE));
    await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal', 10_000, 'the ADR upload');
    await h.idle();

    // The interview's share: one message, updated in place, left with the answers and no control once decided.
    const interview = interviewOf(h.fake, rootTs);
    if (!interview) throw new Error('no interview message');
    const botMessages = h.fake.thread(CHANNEL, rootTs).filter((m) => m.ts !== rootTs && !m.user);
    const questionPosts = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === rootTs && textOf(c.params).includes('"q:'),
    );
    expect(questionPosts).toHaveLength(1);
    const mine = costOf('interview', interview);
    expect(mine.controls).toBe(0);
    for (const id of asked) expect(textOf(interview)).toContain(`${flow.questionById.get(id)?.short}: *`);
    expect(textOf(interview)).not.toContain('"q:');
    // Fifteen compact lines: a fraction of the thread's 8,000-character budget.
    expect(mine.chars).toBeLessThanOrEqual(1200);

    // The whole thread, as a person scrolls it: the interview, the card, the topology picture, the checklist, the
    // decision card and the ADR file, within the budget (#17: 6 messages, 15 controls, 8,000 characters).
    const costs = botMessages.map((m) => costOf(m === interview ? 'interview' : m.text.slice(0, 40), m));
    const uploads = h.fake.calls.filter(
      (c) => c.method === 'files.completeUploadExternal' && c.params.thread_ts === rootTs,
    );
    const total = {
      messages: costs.length + uploads.length,
      controls: costs.reduce((n, c) => n + c.controls, 0),
      chars: costs.reduce((n, c) => n + c.chars, 0),
    };
    console.info(`thread budget: ${JSON.stringify({ total, parts: costs, uploads: uploads.length })}`);
    expect(costs.filter((c) => c.what === 'interview')).toHaveLength(1);
    expect(uploads).toHaveLength(2);
    expect(total.messages).toBeLessThanOrEqual(6);
    expect(total.controls).toBeLessThanOrEqual(15);
    expect(total.chars).toBeLessThanOrEqual(8000);
    expect(h.fake.violations).toEqual([]);
  });
});

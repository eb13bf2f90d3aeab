import { expect } from 'vitest';
import type { Call, StoredMessage } from './fake-slack.js';
import {
  ALICE,
  actionPayload,
  CHANNEL,
  changePayload,
  clickPayload,
  confirmPayload,
  type Harness,
  interviewOf,
  isPost,
  type Person,
  questionMessage,
  shapesThread,
} from './harness.js';

/** Conversation steps a test plays against the harness, named as a person would do them. */

/** `/mesh-help start <title>`; resolves with the root message's ts once the first question is posted. */
export async function startInterview(h: Harness, title = 'Payments networking', who: Person = ALICE): Promise<string> {
  const before = h.fake.calls.length;
  const res = await h.command(`start ${title}`, who);
  expect(res.status).toBe(200);
  const root = await h.fake.waitFor(
    (c) => c.seq > before && isPost(c) && c.params.thread_ts === undefined,
    5000,
    'the root message',
  );
  const first = await h.fake.waitFor(
    (c) => c.seq > root.seq && isPost(c) && typeof c.params.thread_ts === 'string',
    5000,
    'the first question',
  );
  await h.idle();
  return String(first.params.thread_ts);
}

/** Waits until the thread's interview message asks `questionId` (posted, or updated in place to it). */
export async function waitForQuestion(h: Harness, rootTs: string, questionId: string): Promise<StoredMessage> {
  // The fake records a call before it applies it: wait for the call, let the bot settle, then read the message.
  for (let after = -1; ; ) {
    const call = await h.fake.waitFor(
      (c) =>
        c.seq > after &&
        shapesThread(h.fake, c, CHANNEL, rootTs) &&
        JSON.stringify(c.params.blocks).includes(`"q:${questionId}"`),
      5000,
      `question ${questionId}`,
    );
    await h.idle();
    const msg = questionMessage(h.fake, CHANNEL, rootTs, questionId);
    if (msg) return msg;
    after = call.seq;
  }
}

/** The click (or ticks + confirm) that answers a question as its message looks now. */
export function answerPayload(
  h: Harness,
  rootTs: string,
  questionId: string,
  value: string | string[],
  who: Person = ALICE,
) {
  const msg = questionMessage(h.fake, CHANNEL, rootTs, questionId);
  if (!msg) throw new Error(`no message for ${questionId}`);
  return Array.isArray(value)
    ? confirmPayload(h.fake, msg, `q:${questionId}`, value, who)
    : clickPayload(h.fake, msg, `q:${questionId}`, value, who);
}

export async function answer(
  h: Harness,
  rootTs: string,
  questionId: string,
  value: string | string[],
  who: Person = ALICE,
) {
  const res = await h.interact(answerPayload(h, rootTs, questionId, value, who));
  expect(res.status).toBe(200);
  await h.idle();
}

/** Opens an answered question again through the interview message's "Change an answer" menu. */
export async function reopenQuestion(h: Harness, rootTs: string, questionId: string, who: Person = ALICE) {
  const msg = interviewOf(h.fake, rootTs);
  if (!msg) throw new Error('no interview message');
  const res = await h.interact(changePayload(h.fake, msg, questionId, who));
  expect(res.status).toBe(200);
  return waitForQuestion(h, rootTs, questionId);
}

/** Changes an earlier answer as a person does: "Change an answer", then the new choice. */
export async function changeAnswer(
  h: Harness,
  rootTs: string,
  questionId: string,
  value: string | string[],
  who: Person = ALICE,
) {
  await reopenQuestion(h, rootTs, questionId, who);
  await answer(h, rootTs, questionId, value, who);
}

/** Answers each scripted question in order, waiting for each to be posted. */
export async function runInterview(h: Harness, rootTs: string, script: Record<string, string | string[]>) {
  for (const [id, value] of Object.entries(script)) {
    await waitForQuestion(h, rootTs, id);
    await answer(h, rootTs, id, value);
  }
}

/** A post of a recommendation card that still takes decisions: a thread reply carrying the Accept button. */
export const isCardPost = (c: Call): boolean =>
  isPost(c) &&
  typeof c.params.thread_ts === 'string' &&
  JSON.stringify(c.params.blocks ?? []).includes('"action_id":"decision:accept"');

/** The newest recommendation card (a thread reply with Accept; it is not broadcast). */
export async function waitForCard(h: Harness, after = 0): Promise<StoredMessage> {
  const call = await h.fake.waitFor((c) => c.seq > after && isCardPost(c), 5000, 'the recommendation card');
  await h.idle();
  const card = [...h.fake.messages.values()].find(
    (m) => m.text === call.params.text && m.thread_ts === call.params.thread_ts,
  );
  if (!card) throw new Error('card not stored');
  return card;
}

/** A small team with one cluster and nothing that hurts: six questions, nothing multi-cluster. */
export const SMALL_TEAM: Record<string, string | string[]> = {
  clusters: 'one',
  services: 'under-10',
  pains: ['none'],
  regulated: 'no',
  existing_mesh: 'none',
  ops: 'none',
};

type Json = Record<string, unknown>;

/** The checklist's checkboxes element holding item `key`, and its block, in a message as it looks. */
export function checklistBoxes(msg: StoredMessage, key: string): { block: Json; boxes: Json } {
  for (const block of msg.blocks) {
    for (const e of (Array.isArray(block.elements) ? block.elements : []) as Json[]) {
      if (e.type === 'checkboxes' && ((e.options ?? []) as Json[]).some((o) => o.value === key))
        return { block, boxes: e };
    }
  }
  throw new Error(`no checkbox for ${key} in ${msg.ts}`);
}

/**
 * Clicks the checkbox of item `key` in the checklist as this person sees it: Slack sends the element's whole
 * selection (what the message shows ticked, with that one box flipped) and the element's block_id.
 */
export function checklistPayload(h: Harness, msg: StoredMessage, key: string, who: Person = ALICE): Json {
  const { block, boxes } = checklistBoxes(msg, key);
  const shown = ((boxes.initial_options ?? []) as Json[]).map((o) => String(o.value));
  const selected = shown.includes(key) ? shown.filter((k) => k !== key) : [...shown, key];
  const options = ((boxes.options ?? []) as Json[]).filter((o) => selected.includes(String(o.value)));
  return {
    ...actionPayload(h.fake, msg, String(boxes.action_id), who),
    actions: [
      {
        type: 'checkboxes',
        action_id: boxes.action_id,
        block_id: block.block_id,
        selected_options: options,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

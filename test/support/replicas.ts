import { expect } from 'vitest';
import { getFlow } from '../../src/engine/load.js';
import { interviewMessage as renderInterview } from '../../src/slack/blocks/question.js';
import { rootMessage } from '../../src/slack/blocks/root.js';
import type { TeamDoc } from '../../src/store/index.js';
import { isCardPost, SMALL_TEAM } from './driver.js';
import type { Call, FakeSlack, StoredMessage } from './fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  clickPayload,
  confirmPayload,
  HOME_TEAM,
  interviewOf,
  isPost,
  type Person,
  questionMessage,
  shapesThread,
  sign,
} from './harness.js';

/**
 * What the two-replica tests share, whether the replicas are two apps in the
 * test's process or two real `mesh-help start` processes: driving one
 * interview through both, and the guarantees checked at the end.
 */
type Json = Record<string, unknown>;

/** One replica as the load balancer sees it: somewhere to POST Slack's requests. */
export type Replica = {
  command(text: string, who?: Person): Promise<Response>;
  interact(payload: Json): Promise<Response>;
  /** POSTs a raw body to /slack/events with exactly these headers (signature included). */
  post(body: string, contentType: string, headers: Record<string, string>): Promise<Response>;
};

export const blocksOf = (c: Call) => JSON.stringify(c.params.blocks ?? []);
export const inThread = (c: Call, rootTs: string) => isPost(c) && c.params.thread_ts === rootTs;
export const isReminder = (c: Call) =>
  isPost(c) && (c.params.metadata as { event_type?: string } | undefined)?.event_type === 'mesh_help_reminder';

/** Polls the database until `pred` holds (work after the ack finishes later). */
export async function until(
  read: () => Promise<TeamDoc>,
  pred: (d: TeamDoc) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<TeamDoc> {
  const start = Date.now();
  for (;;) {
    const d = await read();
    if (pred(d)) return d;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The event of a person's reply in a thread, as Slack sends it (one event id however often it is delivered). */
export function replyEventBody(i: number, rootTs: string): string {
  const ts = `18000${String(i).padStart(5, '0')}.000100`;
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: HOME_TEAM,
    api_app_id: 'A0MESH',
    type: 'event_callback',
    event_id: `EvReplica${i}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: HOME_TEAM, user_id: 'U0BOT', is_bot: true }],
    event: { type: 'message', channel: CHANNEL, user: BOB.id, text: `reply ${i}`, ts, thread_ts: rootTs },
  });
}

/** Headers Slack adds when it delivers an event again (Bolt reads them into context.retryNum / retryReason). */
export const RETRY_HEADERS = { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' };

/**
 * One interview from `/mesh-help start` to accepted: the command through
 * replica `i % 2`, every click delivered to both at once, and the first
 * answer followed by a thread reply delivered to both, the second time as
 * Slack's retry. Resolves with the thread's root ts.
 */
export async function driveInterview(
  fake: FakeSlack,
  [a, b]: readonly [Replica, Replica],
  i: number,
  timeoutMs = 20_000,
): Promise<string> {
  const waitFor = (pred: (c: Call) => boolean, what: string) => fake.waitFor(pred, timeoutMs, what);
  const both = async (payload: Json) => {
    const res = await Promise.all([a.interact(payload), b.interact(payload)]);
    for (const r of res) expect(r.status).toBe(200);
  };
  // Fixed width, so no title is a part of another ("Interview 1" is a part of "Interview 10").
  const title = `Interview ${String(i).padStart(3, '0')}`;
  const res = await (i % 2 ? b : a).command(`start ${title}`, i % 3 ? ALICE : BOB);
  expect(res.status).toBe(200);
  const rootPost = await waitFor(
    (c) => isPost(c) && c.params.thread_ts === undefined && blocksOf(c).includes(title),
    `the root of ${title}`,
  );
  const root = [...fake.messages.values()].find(
    (m) => m.thread_ts === undefined && m.text === rootPost.params.text && JSON.stringify(m.blocks).includes(title),
  );
  if (!root) throw new Error(`root of ${title} not stored`);
  const rootTs = root.ts;
  for (const [n, [question, value]] of Object.entries(SMALL_TEAM).entries()) {
    // The fake records a call before applying it: the message is read once the call has been answered.
    const shown = await waitFor(
      (c) => shapesThread(fake, c, CHANNEL, rootTs) && blocksOf(c).includes(`"q:${question}"`),
      `${question} of ${title}`,
    );
    await waitFor(
      (c) => c.seq > shown.seq || questionMessage(fake, CHANNEL, rootTs, question) !== undefined,
      'applied',
    );
    const msg = questionMessage(fake, CHANNEL, rootTs, question);
    if (!msg) throw new Error(`no message for ${question} of ${title}`);
    await both(
      Array.isArray(value)
        ? confirmPayload(fake, msg, `q:${question}`, value, ALICE)
        : clickPayload(fake, msg, `q:${question}`, value, ALICE),
    );
    if (n === 0) {
      const body = replyEventBody(i, rootTs);
      const res = await Promise.all([
        a.post(body, 'application/json', sign(body)),
        b.post(body, 'application/json', { ...sign(body), ...RETRY_HEADERS }),
      ]);
      for (const r of res) expect(r.status).toBe(200);
    }
  }
  const cardPost = await waitFor((c) => inThread(c, rootTs) && isCardPost(c), `the card of ${title}`);
  const card = [...fake.messages.values()].find(
    (m): m is StoredMessage => m.thread_ts === rootTs && m.text === cardPost.params.text,
  );
  if (!card) throw new Error(`card of ${title} not stored`);
  await both(actionPayload(fake, card, 'decision:accept', ALICE));
  await waitFor((c) => inThread(c, rootTs) && blocksOf(c).includes('"block_id":"adr:'), `the record of ${title}`);
  return rootTs;
}

/**
 * Every interview decided once: gapless numbers, every answer and reply kept,
 * each question, card and record posted once per thread, and every message as
 * the stored state renders it, whichever replica updated it last.
 */
export function expectOneOfEverything(fake: FakeSlack, doc: TeamDoc, roots: string[]): void {
  const count = roots.length;
  expect(doc.decisions.map((d) => d.number).sort((x, y) => x - y)).toEqual(
    Array.from({ length: count }, (_, i) => i + 1),
  );
  expect(new Set(doc.decisions.map((d) => d.sessionId)).size).toBe(count);
  expect(doc.sessions).toHaveLength(count);
  for (const s of doc.sessions) {
    expect(s.status).toBe('decided');
    for (const [q, v] of Object.entries(SMALL_TEAM)) expect(s.answers[q]).toEqual(v);
  }
  expect(doc.seenEvents.filter((e) => e.startsWith('EvReplica'))).toHaveLength(count);
  for (const d of doc.decisions) expect(d.replies).toHaveLength(1);

  const posts = fake.calls.filter(isPost);
  for (const rootTs of roots) {
    const thread = posts.filter((c) => c.params.thread_ts === rootTs);
    // One interview message per thread, updated in place for every question.
    expect(thread.filter((c) => blocksOf(c).includes('"q:'))).toHaveLength(1);
    expect(thread.filter(isCardPost)).toHaveLength(1);
    // Nothing the bot posts in a thread is broadcast to the channel (issue #17).
    expect(thread.filter((c) => c.params.reply_broadcast === true)).toHaveLength(0);
    expect(thread.filter((c) => blocksOf(c).includes('"block_id":"adr:'))).toHaveLength(1);
    expect(interviewOf(fake, rootTs)).toBeDefined();
  }

  const flow = getFlow();
  for (const session of doc.sessions) {
    const rootTs = session.threadTs ?? '';
    const decision = doc.decisions.find((d) => d.number === session.decisionNumber);
    expect(fake.message(CHANNEL, rootTs)?.blocks).toEqual(
      JSON.parse(JSON.stringify(rootMessage(flow, session, decision).blocks)),
    );
    // The interview message shows the decided session: its answers, and no control left.
    expect(interviewOf(fake, rootTs)?.blocks).toEqual(
      JSON.parse(JSON.stringify(renderInterview(flow, session).blocks)),
    );
  }
}

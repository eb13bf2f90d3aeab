import { afterEach, describe, expect, it } from 'vitest';
import { getFlow } from '../../../src/engine/load.js';
import { questionMessage as renderQuestion } from '../../../src/slack/blocks/question.js';
import { rootMessage } from '../../../src/slack/blocks/root.js';
import { PgStore, type TeamDoc } from '../../../src/store/index.js';
import { answerPayload, SMALL_TEAM } from '../../support/driver.js';
import { type Call, FakeSlack, type StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  questionMessage,
  sign,
  startHarness,
} from '../../support/harness.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';

/**
 * Two bots on one PostgreSQL database, as two replicas behind a load balancer:
 * each has its own store connection pool and cache, its own in-memory queues
 * and reminder loop; they share only the database and Slack. Commands go to
 * the replicas in turn; every click and event is delivered to both (Slack
 * retrying on the other replica), and many interviews run at once.
 */
const INTERVIEWS = 20;
const DAY = 86_400_000;

let replicas: Harness[] = [];
let schema: TestSchema | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  for (const r of replicas) await r.mesh.stop();
  replicas = [];
  await fake?.stop();
  await schema?.drop();
});

type Json = Record<string, unknown>;
const blocksOf = (c: Call) => JSON.stringify(c.params.blocks ?? []);
const inThread = (c: Call, rootTs: string) => isPost(c) && c.params.thread_ts === rootTs;

/** Polls the database until `pred` holds (work after the ack finishes later). */
async function until(read: () => Promise<TeamDoc>, pred: (d: TeamDoc) => boolean, what: string): Promise<TeamDoc> {
  const start = Date.now();
  for (;;) {
    const d = await read();
    if (pred(d)) return d;
    if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two replicas on one PostgreSQL database', () => {
  it('run 20 interviews with every click delivered to both: no double post, no lost answer, gapless numbers, each reminder once', async () => {
    schema = await freshSchema();
    const url = schema.url;
    fake = await new FakeSlack().start();
    let clock = Date.now();
    const options = { fake, now: () => new Date(clock), store: () => new PgStore(url) };
    replicas = [await startHarness(options), await startHarness(options)];
    const [a, b] = replicas as [Harness, Harness];
    const both = async (payload: Json) => {
      const res = await Promise.all([a.interact(payload), b.interact(payload)]);
      for (const r of res) expect(r.status).toBe(200);
    };
    const waitFor = (pred: (c: Call) => boolean, what: string) => (fake as FakeSlack).waitFor(pred, 20_000, what);
    const reader = new PgStore(url);
    const read = () => reader.read(HOME_TEAM);
    // Twenty interviews share one channel: an admin lifts the one-open-interview-per-channel bound first.
    expect((await a.command('config limits 100 1000')).status).toBe(200);
    await waitFor((c) => c.method === 'response_url', 'the config answer');

    /** One interview from `/mesh-help start` to accepted, through replica `i % 2` for the command. */
    const interview = async (i: number): Promise<string> => {
      const title = `Interview ${i}`;
      const res = await (i % 2 ? b : a).command(`start ${title}`, i % 3 ? ALICE : BOB);
      expect(res.status).toBe(200);
      const rootPost = await waitFor(
        (c) => isPost(c) && c.params.thread_ts === undefined && blocksOf(c).includes(title),
        `the root of ${title}`,
      );
      const root = [...(fake as FakeSlack).messages.values()].find(
        (m) => m.thread_ts === undefined && m.text === rootPost.params.text && JSON.stringify(m.blocks).includes(title),
      );
      if (!root) throw new Error(`root of ${title} not stored`);
      const rootTs = root.ts;
      const questions = Object.entries(SMALL_TEAM);
      for (const [n, [question, value]] of questions.entries()) {
        await waitFor((c) => inThread(c, rootTs) && blocksOf(c).includes(`"q:${question}"`), `${question} of ${title}`);
        await both(answerPayload(a, rootTs, question, value));
        if (n === 0) {
          // A person's reply in the thread, delivered to both replicas with one event id, as a retry would be.
          const ts = `18000${String(i).padStart(5, '0')}.000100`;
          const body = JSON.stringify({
            token: 'deprecated-verification-token',
            team_id: HOME_TEAM,
            api_app_id: 'A0MESH',
            type: 'event_callback',
            event_id: `EvReplica${i}`,
            event_time: Math.floor(Date.now() / 1000),
            authorizations: [{ team_id: HOME_TEAM, user_id: 'U0BOT', is_bot: true }],
            event: { type: 'message', channel: CHANNEL, user: BOB.id, text: `reply ${i}`, ts, thread_ts: rootTs },
          });
          await Promise.all([
            a.post(body, 'application/json', sign(body)),
            b.post(body, 'application/json', sign(body)),
          ]);
        }
      }
      const cardPost = await waitFor(
        (c) => inThread(c, rootTs) && c.params.reply_broadcast === true,
        `the card of ${title}`,
      );
      const card = [...(fake as FakeSlack).messages.values()].find(
        (m): m is StoredMessage => m.thread_ts === rootTs && m.text === cardPost.params.text,
      );
      if (!card) throw new Error(`card of ${title} not stored`);
      await both(actionPayload(fake as FakeSlack, card, 'decision:accept', ALICE));
      await waitFor((c) => inThread(c, rootTs) && blocksOf(c).includes('"block_id":"adr:'), `the record of ${title}`);
      return rootTs;
    };

    const roots = await Promise.all(Array.from({ length: INTERVIEWS }, (_, i) => interview(i)));
    const doc = await until(
      read,
      (d) => d.decisions.length === INTERVIEWS && d.decisions.every((x) => x.replies.length === 1),
      'every decision with its reply',
    );
    await (fake as FakeSlack).settle(300, 20_000);

    // Gapless numbers, one record per interview, every answer kept.
    expect(doc.decisions.map((d) => d.number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: INTERVIEWS }, (_, i) => i + 1),
    );
    expect(new Set(doc.decisions.map((d) => d.sessionId)).size).toBe(INTERVIEWS);
    expect(doc.sessions).toHaveLength(INTERVIEWS);
    for (const s of doc.sessions) {
      expect(s.status).toBe('decided');
      for (const [q, v] of Object.entries(SMALL_TEAM)) expect(s.answers[q]).toEqual(v);
    }
    expect(doc.seenEvents.filter((e) => e.startsWith('EvReplica'))).toHaveLength(INTERVIEWS);

    // No double post: each question, card and record appears once per thread.
    const posts = (fake as FakeSlack).calls.filter(isPost);
    for (const rootTs of roots) {
      const thread = posts.filter((c) => c.params.thread_ts === rootTs);
      for (const q of Object.keys(SMALL_TEAM)) {
        expect(thread.filter((c) => blocksOf(c).includes(`"q:${q}"`))).toHaveLength(1);
      }
      expect(thread.filter((c) => c.params.reply_broadcast === true && !blocksOf(c).includes('"adr:'))).toHaveLength(1);
      expect(thread.filter((c) => blocksOf(c).includes('"block_id":"adr:'))).toHaveLength(1);
      expect(questionMessage(fake as FakeSlack, CHANNEL, rootTs, 'clusters')).toBeDefined();
    }

    // Every message ends as the stored state renders it, whichever replica updated it last.
    const flow = getFlow();
    for (const session of doc.sessions) {
      const rootTs = session.threadTs ?? '';
      const decision = doc.decisions.find((d) => d.number === session.decisionNumber);
      expect((fake as FakeSlack).message(CHANNEL, rootTs)?.blocks).toEqual(
        JSON.parse(JSON.stringify(rootMessage(flow, session, decision).blocks)),
      );
      // Questions are last rendered when answered (a decision does not re-render them), so while open or complete.
      for (const q of Object.keys(SMALL_TEAM)) {
        const shown = JSON.stringify(questionMessage(fake as FakeSlack, CHANNEL, rootTs, q)?.blocks);
        const as = (status: 'open' | 'complete') =>
          JSON.stringify(renderQuestion(flow, { ...session, status }, q).blocks);
        expect([as('open'), as('complete')]).toContain(shown);
      }
    }

    // A year on, both replicas restart at once: each revisit reminder is posted once.
    clock += 400 * DAY;
    const isReminder = (c: Call) =>
      isPost(c) && (c.params.metadata as { event_type?: string } | undefined)?.event_type === 'mesh_help_reminder';
    replicas = await Promise.all([a.restart(), b.restart()]);
    await until(read, (d) => d.decisions.every((x) => x.reminderPostedAt), 'every reminder marked posted');
    replicas = await Promise.all(replicas.map((r) => r.restart()));
    await (fake as FakeSlack).settle(300, 20_000);
    const reminders = (fake as FakeSlack).calls.filter(isReminder);
    expect(reminders).toHaveLength(INTERVIEWS);
    expect(new Set(reminders.map((c) => c.params.thread_ts))).toEqual(new Set(roots));
    expect((fake as FakeSlack).violations).toEqual([]);
    await reader.close();
  }, 120_000);

  it('loses no acknowledged command when one replica stops mid-load (what SIGTERM runs)', async () => {
    schema = await freshSchema();
    const url = schema.url;
    fake = await new FakeSlack().start();
    const options = { fake, store: () => new PgStore(url) };
    replicas = [await startHarness(options), await startHarness(options)];
    const [a, b] = replicas as [Harness, Harness];
    const acked: string[] = [];
    let failedOver = 0;
    /** The load balancer: a replica that is gone gets no request; it goes to the other. */
    const send = async (i: number) => {
      const title = `Load ${i}`;
      try {
        const res = await (i % 2 ? b : a).command(`start ${title}`);
        if (res.status === 200) acked.push(title);
      } catch {
        failedOver += 1;
        const res = await b.command(`start ${title}`);
        expect(res.status).toBe(200);
        acked.push(title);
      }
    };
    const wave = (from: number) => Promise.all(Array.from({ length: 10 }, (_, i) => send(from + i)));
    // Thirty interviews share one channel: an admin lifts the one-open-interview-per-channel bound first.
    expect((await b.command('config limits 100 1000')).status).toBe(200);
    await (fake as FakeSlack).waitFor((c) => c.method === 'response_url', 5000, 'the config answer');
    await wave(0);
    // Replica a stops while its follow-up work runs and more requests arrive, then while it refuses them.
    const stopping = a.mesh.stop();
    await wave(10);
    for (;;) {
      const up = await fetch(`${a.url}/healthz`).then(
        () => true,
        () => false,
      );
      if (!up) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await wave(20);
    await stopping;
    expect(acked).toHaveLength(30);
    expect(failedOver).toBeGreaterThanOrEqual(5);

    const reader = new PgStore(url);
    const doc = await until(
      () => reader.read(HOME_TEAM),
      (d) => acked.every((t) => d.sessions.some((s) => s.title === t && /^\d/.test(s.messages.clusters ?? ''))),
      'the first question of every acknowledged interview',
    );
    await (fake as FakeSlack).settle(300, 20_000);
    const posts = (fake as FakeSlack).calls.filter(isPost);
    for (const title of acked) {
      const session = doc.sessions.find((s) => s.title === title);
      const firsts = posts.filter(
        (c) => c.params.thread_ts === session?.threadTs && blocksOf(c).includes('"q:clusters"'),
      );
      expect(firsts).toHaveLength(1);
    }
    await reader.close();
  }, 60_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/store/index.js';
import { type Call, FakeSlack } from '../../support/fake-slack.js';
import { type Harness, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';
import { driveInterview, expectOneOfEverything, isReminder, until } from '../../support/replicas.js';

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

const blocksOf = (c: Call) => JSON.stringify(c.params.blocks ?? []);

describe('two replicas on one PostgreSQL database', () => {
  it('run 20 interviews with every click delivered to both: no double post, no lost answer, gapless numbers, each reminder once', async () => {
    schema = await freshSchema();
    const url = schema.url;
    fake = await new FakeSlack().start();
    let clock = Date.now();
    const options = { fake, now: () => new Date(clock), store: () => new PgStore(url) };
    replicas = [await startHarness(options), await startHarness(options)];
    const [a, b] = replicas as [Harness, Harness];
    const waitFor = (pred: (c: Call) => boolean, what: string) => (fake as FakeSlack).waitFor(pred, 20_000, what);
    const reader = new PgStore(url);
    const read = () => reader.read(HOME_TEAM);
    // Twenty interviews share one channel: an admin lifts the one-open-interview-per-channel bound first.
    expect((await a.command('config limits 100 1000')).status).toBe(200);
    await waitFor((c) => c.method === 'response_url', 'the config answer');

    const roots = await Promise.all(
      Array.from({ length: INTERVIEWS }, (_, i) => driveInterview(fake as FakeSlack, [a, b], i)),
    );
    const doc = await until(
      read,
      (d) => d.decisions.length === INTERVIEWS && d.decisions.every((x) => x.replies.length === 1),
      'every decision with its reply',
    );
    await Promise.all(replicas.map((r) => r.idle()));

    expectOneOfEverything(fake as FakeSlack, doc, roots);

    // A year on, both replicas restart at once: each revisit reminder is posted once.
    clock += 400 * DAY;
    replicas = await Promise.all([a.restart(), b.restart()]);
    await until(read, (d) => d.decisions.every((x) => x.reminderPostedAt), 'every reminder marked posted');
    replicas = await Promise.all(replicas.map((r) => r.restart()));
    await Promise.all(replicas.map((r) => r.idle()));
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
      (d) => acked.every((t) => d.sessions.some((s) => s.title === t && /^\d/.test(s.interviewTs ?? ''))),
      'the first question of every acknowledged interview',
    );
    await Promise.all(replicas.map((r) => r.idle()));
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import { type Call, FakeSlack } from '../../support/fake-slack.js';
import { ALICE, actionPayload, CHANNEL, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';
import { freshSchema } from '../../support/pg.js';
import {
  blocksOf,
  driveInterview,
  expectOneOfEverything,
  isReminder,
  type Replica,
  until,
} from '../../support/replicas.js';

/**
 * The two-replica guarantees with two REAL `mesh-help start` processes on one
 * PostgreSQL database (what a Deployment with two replicas runs): separate
 * heaps, pools, queues and reminder loops, each with its own data folder for
 * its intake journal. Commands alternate between them; every click goes to
 * both; events go to both, the second time with Slack's retry headers.
 */
const INTERVIEWS = 20;
const DAY = 86_400_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp() {
  const schema = await freshSchema();
  cleanups.push(() => schema.drop());
  const fake = await new FakeSlack().start();
  cleanups.push(() => fake.stop());
  const reader = new PgStore(schema.url);
  cleanups.push(() => reader.close());
  const procs: BotProcess[] = [];
  cleanups.push(async () => {
    for (const p of procs) await p.kill('SIGKILL');
  });
  /** A replica process with a data folder of its own (its intake journal), on the shared database. */
  const start = async (name: string): Promise<BotProcess> => {
    const dataDir = mkdtempSync(join(tmpdir(), `mesh-replica-${name}-`));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const p = await startBotProcess(fake, dataDir, { DATABASE_URL: schema.url });
    procs.push(p);
    return p;
  };
  const replica = (p: BotProcess): Replica => ({
    command: (text, who = ALICE) => p.post(...bodies.command(fake, text, who, CHANNEL)),
    interact: (payload) => p.post(...bodies.interaction(payload)),
    post: (body, contentType, headers) =>
      fetch(`${p.url}/slack/events`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body }),
  });
  return { fake, reader, start, replica, read: () => reader.read(HOME_TEAM), schemaUrl: schema.url };
}

describe('two mesh-help processes on one PostgreSQL database', () => {
  it('run 20 interviews with every click delivered to both and events retried: one post each, no lost answer, gapless numbers, each due reminder once', async () => {
    const { fake, reader, start, replica, read } = await setUp();
    const [pa, pb] = await Promise.all([start('a'), start('b')]);
    const [a, b] = [replica(pa), replica(pb)];
    // Twenty interviews share one channel: an admin lifts the one-open-interview-per-channel bound first.
    expect((await a.command('config limits 100 1000')).status).toBe(200);
    await fake.waitFor((c) => c.method === 'response_url', 20_000, 'the config answer');

    const roots = await Promise.all(Array.from({ length: INTERVIEWS }, (_, i) => driveInterview(fake, [a, b], i)));
    // Generous: on a loaded 2-core machine the replies' work queues behind twenty interviews' Slack calls.
    const doc = await until(
      read,
      (d) => d.decisions.length === INTERVIEWS && d.decisions.every((x) => x.replies.length === 1),
      'every decision with its reply',
      60_000,
    ).catch(async (err: Error) => {
      const d = await read();
      const short = d.decisions.filter((x) => x.replies.length !== 1).map((x) => `${x.number}:${x.replies.length}`);
      const open = d.sessions.filter((s) => s.replies.length).map((s) => `${s.title}:${s.replies.length}`);
      throw new Error(
        `${err.message}; decisions without one reply ${short.join(' ')}; sessions holding replies ${open.join(' ')}`,
      );
    });
    await fake.settle(300, 20_000);
    expectOneOfEverything(fake, doc, roots);
    expect(fake.calls.filter(isReminder)).toHaveLength(0);

    // A spawned bot's clock is the real one: its revisit dates are made due in the database while both are down,
    // then both start at once, and both run a reminder round at start.
    await Promise.all([pa.kill('SIGTERM'), pb.kill('SIGTERM')]);
    expect(await pa.exited).toBe(0);
    expect(await pb.exited).toBe(0);
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    await reader.update(HOME_TEAM, (d) => {
      for (const x of d.decisions) x.revisitOn = yesterday;
    });
    await Promise.all([start('a2'), start('b2')]);
    await until(read, (d) => d.decisions.every((x) => x.reminderPostedAt), 'every reminder marked posted');
    await fake.settle(300, 20_000);
    const reminders = fake.calls.filter(isReminder);
    expect(reminders).toHaveLength(INTERVIEWS);
    expect(new Set(reminders.map((c) => c.params.thread_ts))).toEqual(new Set(roots));
    expect(fake.violations).toEqual([]);
  }, 180_000);

  it('loses no acknowledged command when one process gets SIGTERM mid-load, and its /readyz answers 503 while it drains', async () => {
    const { fake, reader, start, replica, read, schemaUrl } = await setUp();
    // A decision whose due reminder a dead replica claimed long ago: the first bot to start re-claims it and reads
    // the thread before posting; Slack holds that read, so the bot's drain waits on it and /readyz can be seen.
    const HOLD_MS = 12_000;
    const seeder = await startHarness({ fake, store: () => new PgStore(schemaUrl) });
    const rootTs = await startInterview(seeder);
    await runInterview(seeder, rootTs, SMALL_TEAM);
    await seeder.interact(actionPayload(fake, await waitForCard(seeder), 'decision:accept', ALICE));
    await until(read, (d) => d.decisions.length === 1, 'the seeded decision');
    await fake.settle(100);
    await seeder.mesh.stop();
    await reader.update(HOME_TEAM, (d) => {
      for (const x of d.decisions) {
        x.revisitOn = new Date(Date.now() - DAY).toISOString().slice(0, 10);
        x.reminderClaimedAt = new Date(Date.now() - 2 * DAY).toISOString();
        x.reminderClaimedBy = 'a-replica-that-died';
      }
    });
    fake.faultNext('conversations.replies', { status: 200, delayMs: HOLD_MS });
    const pa = await start('a');
    await fake.waitFor((c) => c.method === 'conversations.replies', 20_000, 'the held read of the thread');
    // Started after a holds its fresh claim, b leaves that reminder alone.
    const pb = await start('b');
    const [a, b] = [replica(pa), replica(pb)];

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
    await fake.waitFor((c) => c.method === 'response_url', 20_000, 'the config answer');
    await wave(0);

    // SIGTERM while a's follow-up work runs and more requests arrive.
    const readyz = async () => {
      try {
        return (await fetch(`${pa.url}/readyz`)).status;
      } catch {
        return 'gone' as const;
      }
    };
    expect(await readyz()).toBe(200);
    const exiting = pa.kill('SIGTERM');
    const wave1 = wave(10);
    let draining: number | 'gone' = 200;
    while (draining === 200) draining = await readyz();
    expect(draining).toBe(503);
    await wave1;
    // Once its drain is done it refuses connections and the rest fail over to b.
    await exiting;
    expect(await pa.exited).toBe(0);
    await wave(20);
    expect(acked).toHaveLength(30);
    expect(failedOver).toBeGreaterThanOrEqual(5);

    const doc = await until(
      read,
      (d) => acked.every((t) => d.sessions.some((s) => s.title === t && /^\d/.test(s.interviewTs ?? ''))),
      'the first question of every acknowledged interview',
    );
    await fake.settle(300, 20_000);
    const posts = fake.calls.filter(isPost);
    for (const title of acked) {
      const session = doc.sessions.find((s) => s.title === title);
      const firsts = posts.filter(
        (c: Call) => c.params.thread_ts === session?.threadTs && blocksOf(c).includes('"q:clusters"'),
      );
      expect(firsts).toHaveLength(1);
    }
  }, 60_000);
});

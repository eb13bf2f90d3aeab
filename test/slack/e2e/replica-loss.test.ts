import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { FakeSlack, HOME_TEAM } from '../../support/fake-slack.js';
import { ALICE, CHANNEL, isPost } from '../../support/harness.js';
import { freshSchema } from '../../support/pg.js';
import { until } from '../../support/replicas.js';

/**
 * On PostgreSQL the intake journal lives in the database: a replica deleted
 * for good (SIGKILL, never restarted) with acknowledged, unfinished requests
 * loses none of them, since another replica adopts them once its lease runs out.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a replica deleted for good mid-load (two real processes on PostgreSQL)', () => {
  it('the other replica finishes every request the lost one acknowledged, once', async () => {
    const schema = await freshSchema();
    cleanups.push(() => schema.drop());
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const start = async (name: string): Promise<BotProcess> => {
      const dataDir = mkdtempSync(join(tmpdir(), `mesh-loss-${name}-`));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const p = await startBotProcess(fake, dataDir, {
        DATABASE_URL: schema.url,
        MESH_HELP_JOURNAL_LEASE_MS: '2000',
      });
      cleanups.push(() => p.kill('SIGKILL'));
      return p;
    };
    const [a, b] = [await start('a'), await start('b')];
    const command = (p: BotProcess, text: string, channel = CHANNEL) =>
      p.post(...bodies.command(fake, text, ALICE, channel));
    expect((await command(b, 'config limits 100 1000')).status).toBe(200);
    await fake.waitFor((c) => c.method === 'response_url', 5000, 'the config answer');

    // Replica a takes four starts in (one per work slot) and is stuck in each one's work: Slack holds its root
    // posts (and keeps them), and a is killed before its Web API client could give up and post again.
    const doomed = [0, 1, 2, 3].map((i) => `Doomed ${i}`);
    const held = doomed.map((t) =>
      fake.holdNextMatching('chat.postMessage', (p) => JSON.stringify(p).includes(t), true),
    );
    const fine = [0, 1, 2, 3, 4].map((i) => `Fine ${i}`);
    const acks = await Promise.all([
      ...doomed.map((t) => command(a, `start ${t}`)),
      ...fine.map((t) => command(b, `start ${t}`)),
    ]);
    expect(acks.map((r) => r.status)).toEqual(Array(acks.length).fill(200));
    await Promise.all(held);
    await a.kill('SIGKILL');

    const reader = new PgStore(schema.url);
    cleanups.push(() => reader.close());
    const acked = [...doomed, ...fine];
    const doc = await until(
      () => reader.read(HOME_TEAM),
      (d) => acked.every((t) => d.sessions.some((s) => s.title === t && /^\d/.test(s.messages.clusters ?? ''))),
      'the first question of every acknowledged interview',
      30_000,
    );
    // Once each: one root and one first question per interview, though a began them.
    for (const title of acked) {
      const session = doc.sessions.find((s) => s.title === title);
      const roots = [...fake.messages.values()].filter(
        (m) => m.thread_ts === undefined && JSON.stringify(m.blocks).includes(title),
      );
      expect(roots).toHaveLength(1);
      const firsts = fake.calls.filter(
        (c) =>
          isPost(c) &&
          c.params.thread_ts === session?.threadTs &&
          JSON.stringify(c.params.blocks).includes('"q:clusters"'),
      );
      expect(firsts).toHaveLength(1);
    }
    expect(doc.sessions).toHaveLength(acked.length);
    // Nothing is left in the shared journal.
    const db = new pg.Client({ connectionString: schema.url });
    await db.connect();
    try {
      const left = async () => (await db.query('SELECT count(*)::int AS n FROM intake_journal')).rows[0]?.n;
      for (const begun = Date.now(); (await left()) !== 0; ) {
        if (Date.now() - begun > 10_000) throw new Error('the shared journal still holds requests');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await db.end();
    }
    expect(b.log()).not.toMatch(/Error: /);
  }, 60_000);
});

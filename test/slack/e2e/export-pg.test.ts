import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import { type Call, FakeSlack } from '../../support/fake-slack.js';
import { ALICE, actionPayload, type Harness, HOME_TEAM, startHarness } from '../../support/harness.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';

let replicas: Harness[] = [];
let schema: TestSchema | undefined;
let fake: FakeSlack | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const r of replicas) await r.mesh.stop();
  replicas = [];
  for (const c of closers.splice(0)) await c();
  await fake?.stop();
  await schema?.drop();
});

/** A TCP server that accepts and never answers. */
async function blackHole(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('exports on PostgreSQL with two replicas', () => {
  it('hold no advisory-lock connection while the network hangs, and a second export on the other replica is told at once', async () => {
    schema = await freshSchema();
    // A name of its own, so the locks counted below are this test's replicas' only (the database is shared).
    const app = `mesh-export-${schema.schema}`;
    const named = new URL(schema.url);
    named.searchParams.set('application_name', app);
    const url = named.toString();
    fake = await new FakeSlack().start();
    const port = await blackHole();
    const env = {
      GITHUB_TOKEN: `ghp_${'t'.repeat(36)}`,
      GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3`,
      MESH_HELP_EXPORT_TIMEOUT_S: '4',
    };
    const options = { fake, env, store: () => new PgStore(url) };
    replicas = [await startHarness(options), await startHarness(options)];
    const [a, b] = replicas as [Harness, Harness];

    // One accepted record and a GitHub repository to export to.
    const start = fake.calls.length;
    const rootTs = await startInterview(a, 'Payments networking');
    await runInterview(a, rootTs, SMALL_TEAM);
    const card = await waitForCard(a, start);
    const accepted = fake.calls.length;
    await a.interact(actionPayload(fake, card, 'decision:accept', ALICE));
    await fake.waitFor((c) => c.seq > accepted && JSON.stringify(c.params.blocks ?? []).includes('"adr:1"'));
    await a.idle();
    const configured = fake.calls.length;
    await a.command('config repo acme/platform');
    await fake.waitFor((c) => c.seq > configured && c.method === 'response_url', 5000, 'the config answer');

    const asked = fake.calls.length;
    const askedAt = Date.now();
    expect((await a.command('export pr')).status).toBe(200);
    const reader = new PgStore(url);
    const admin = new pg.Client({ connectionString: schema.url });
    await admin.connect();
    try {
      // The export takes its lease in the team's document, then waits on GitHub.
      for (const t0 = Date.now(); !(await reader.read(HOME_TEAM)).exports?.lease; ) {
        if (Date.now() - t0 > 3000) throw new Error('the export took no lease');
        await new Promise((r) => setTimeout(r, 20));
      }
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
        [app],
      );
      const { rows: mine } = await admin.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1',
        [app],
      );
      // The replicas' connections are there (the count above is meaningful), none holding an advisory lock.
      expect(Number(mine[0]?.n)).toBeGreaterThan(0);
      expect(Number(rows[0]?.n)).toBe(0);

      // The other replica refuses a second export of the same team at once.
      const second = fake.calls.length;
      expect((await b.command('export pr')).status).toBe(200);
      const told = await fake.waitFor(
        (c: Call) => c.seq > second && c.method === 'response_url',
        2000,
        'the second export’s answer',
      );
      expect(String(told.params.text)).toMatch(/already being exported/);

      const ended = await fake.waitFor(
        (c: Call) =>
          c.seq > asked && c.method === 'response_url' && /did not answer in time/.test(String(c.params.text)),
        8000,
        'the first export’s answer',
      );
      expect(ended.at - askedAt).toBeLessThan(7000);
      await a.idle();
      // The lease is given back: the next export may run at once.
      expect((await reader.read(HOME_TEAM)).exports?.lease).toBeUndefined();
    } finally {
      await admin.end();
      await reader.close();
    }
  }, 40_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../src/store/index.js';
import { PgJournal } from '../../src/store/pg-journal.js';
import { freshSchema, type TestSchema } from '../support/pg.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function place(): Promise<TestSchema> {
  const schema = await freshSchema();
  cleanups.push(() => schema.drop());
  const store = new PgStore(schema.url);
  await store.migrate();
  await store.close();
  return schema;
}
const journal = (url: string, leaseMs = 1000) => {
  const j = new PgJournal(url, { leaseMs });
  cleanups.push(() => j.close());
  return j;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const body = (n: number) => ({ type: 'event_callback', event_id: `Ev${n}` });

describe('PgJournal (the intake journal in PostgreSQL)', () => {
  it('a live replica’s requests stay its own; once its lease runs out one other replica adopts them, oldest first', async () => {
    const { url } = await place();
    const lost = journal(url);
    const a = await lost.append({ body: body(1), retryNum: 1, retryReason: 'http_timeout' });
    const b = await lost.append({ body: body(2) });
    await lost.markDone((await lost.append({ body: body(3) })).id);
    const [x, y] = [journal(url), journal(url)];
    // Alive: nothing to take over.
    expect(await x.pending()).toEqual([]);
    // Gone for good (no clean stop: its lease just runs out).
    await (lost as unknown as { pool: { end(): Promise<void> } }).pool.end();
    clearInterval((lost as unknown as { timer: NodeJS.Timeout }).timer);
    await sleep(1500);
    const [gotX, gotY] = await Promise.all([x.adopt(), y.adopt()]);
    const adopted = [...gotX, ...gotY];
    expect(adopted.map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(adopted).toHaveLength(2);
    expect(adopted.find((e) => e.id === a.id)).toMatchObject({
      id: a.id,
      body: body(1),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    // Adopted rows belong to a live replica now: nobody adopts them again.
    await sleep(1200);
    expect([...(await x.adopt()), ...(await y.adopt())]).toEqual([]);
  });

  it('a clean stop hands what is unfinished over at once', async () => {
    const { url } = await place();
    const leaving = journal(url, 60_000);
    const kept = await leaving.append({ body: body(1) });
    await leaving.close();
    expect((await journal(url, 60_000).adopt()).map((e) => e.id)).toEqual([kept.id]);
  });
});

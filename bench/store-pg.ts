import { performance } from 'node:perf_hooks';
import { PgStore } from '../src/store/index.js';
import { findByKey } from '../src/team/lookup.js';
import { freshSchema } from '../test/support/pg.js';
import { median } from './stats.js';
import { now, teamWith } from './team.js';

export type PgStoreFigures = {
  recordMs: { own10: number; own10000: number; others10000: number };
  /** Cost of one write in a team of 10,000 records over one in a team of 10. */
  ownTeamRatio: number;
};

/** Median ms to record one decision for TMEASURED through a store that has already read the team once. */
async function timeWrites(url: string, writes: number): Promise<number> {
  const store = new PgStore(url);
  let n = 0;
  // One click's worth of change: a new entry in one record's history, found by number as the listeners do.
  const once = () =>
    store.update('TMEASURED', (doc) => {
      const d = findByKey(doc.decisions, (x) => x.number === 5);
      d?.history.push({ at: now.toISOString(), by: `U${++n}`, to: 'accepted' });
    });
  for (let i = 0; i < 5; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < writes; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  await store.close();
  return median(times);
}

/**
 * The PostgreSQL store's write cost as the team's own records grow (10 vs
 * 10,000) and as other teams' data grows (10,000 records over 1,000 teams),
 * each in a fresh schema of the database at `url`.
 */
export async function benchPgStore(url: string, writes = 200): Promise<PgStoreFigures> {
  const result: Record<string, number> = {};
  for (const [name, own, others] of [
    // The first run warms the JIT and the connection path; it is run again and only that counts.
    ['own10', 10, 0],
    ['own10', 10, 0],
    ['own10000', 10_000, 0],
    ['others10000', 10, 10_000],
  ] as const) {
    const schema = await freshSchema(url);
    const seeder = new PgStore(schema.url);
    try {
      await seeder.importTeam(teamWith('TMEASURED', own));
      for (let t = 0; t < others / 10; t++) await seeder.importTeam(teamWith(`T${String(t).padStart(5, '0')}`, 10));
      await seeder.close();
      result[name] = await timeWrites(schema.url, writes);
    } finally {
      await seeder.close();
      await schema.drop();
    }
  }
  const recordMs = result as PgStoreFigures['recordMs'];
  return { recordMs, ownTeamRatio: recordMs.own10000 / recordMs.own10 };
}

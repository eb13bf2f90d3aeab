import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { recordDecision } from '../src/domain/machine/record.js';
import { FileStore } from '../src/store/index.js';
import { median } from './stats.js';
import { answers, now, recommendation, teamWith } from './team.js';

/** Seeds a store: `total` records spread over `teams` teams, plus the measured team with `own` records. */
function seed(total: number, teams: number, own: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-bench-store-'));
  mkdirSync(join(dir, 'teams'));
  for (let t = 0; t < teams; t++) {
    const count = Math.floor(total / teams) + (t < total % teams ? 1 : 0);
    const id = `T${String(t).padStart(5, '0')}`;
    writeFileSync(join(dir, 'teams', `${id}.json`), JSON.stringify(teamWith(id, count)));
  }
  writeFileSync(join(dir, 'teams', 'TMEASURED.json'), JSON.stringify(teamWith('TMEASURED', own)));
  return dir;
}

/** One decision recorded for TMEASURED. Without fsync: its cost does not depend on other teams' data, and its jitter would hide what does. */
const recordOne = (store: FileStore) =>
  store.update('TMEASURED', (doc) => {
    recordDecision(doc, { title: 'Measured', answers, recommendation, status: 'proposed', by: 'U2', now });
  });

export type StoreFigures = {
  recordMs: { total10: number; total1000: number; total10000: number; ownTeam1000: number };
  otherTeamsRatio: number;
};

/**
 * The store's figures: cost of one decision write as other teams' data grows, and as the team's own grows.
 * Every folder is seeded first, then the folders take turns write by write (the first to go rotating): the
 * kernel is still flushing the megabytes of the largest seed for a while, and measured one after the other,
 * that flush weighed on whichever folder came next.
 */
export async function benchStore(writes = 300): Promise<StoreFigures> {
  const cases = [
    ['total10', 10, 0],
    ['total1000', 1000, 0],
    ['total10000', 10000, 0],
    ['ownTeam1000', 0, 1000],
  ] as const;
  const runs = cases.map(([name, total, own]) => {
    const dir = seed(total, name === 'ownTeam1000' ? 0 : 1000, own);
    return { name, dir, store: new FileStore(dir, { durable: false }), times: [] as number[] };
  });
  try {
    for (const r of runs) for (let i = 0; i < 50; i++) await recordOne(r.store);
    for (let i = 0; i < writes; i++) {
      for (let k = 0; k < runs.length; k++) {
        const r = runs[(i + k) % runs.length];
        if (!r) continue;
        const t0 = performance.now();
        await recordOne(r.store);
        r.times.push(performance.now() - t0);
      }
    }
  } finally {
    for (const r of runs) {
      await r.store.close();
      rmSync(r.dir, { recursive: true, force: true });
    }
  }
  const recordMs = Object.fromEntries(runs.map((r) => [r.name, median(r.times)])) as StoreFigures['recordMs'];
  return { recordMs, otherTeamsRatio: recordMs.total10000 / recordMs.total10 };
}

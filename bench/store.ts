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

/** Median milliseconds to record one decision for TMEASURED (after a warm-up). */
async function timeWrites(dir: string, writes: number): Promise<number> {
  // Without fsync: its cost does not depend on other teams' data, and its jitter would hide what does.
  const store = new FileStore(dir, { durable: false });
  const once = () =>
    store.update('TMEASURED', (doc) => {
      recordDecision(doc, { title: 'Measured', answers, recommendation, status: 'proposed', by: 'U2', now });
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

export type StoreFigures = {
  recordMs: { total10: number; total1000: number; total10000: number; ownTeam1000: number };
  otherTeamsRatio: number;
};

/** The store's figures: cost of one decision write as other teams' data grows, and as the team's own grows. */
export async function benchStore(writes = 300): Promise<StoreFigures> {
  const result: Record<string, number> = {};
  for (const [name, total, own] of [
    ['total10', 10, 0],
    ['total1000', 1000, 0],
    ['total10000', 10000, 0],
    ['ownTeam1000', 0, 1000],
  ] as const) {
    const dir = seed(total, name === 'ownTeam1000' ? 0 : 1000, own);
    try {
      result[name] = await timeWrites(dir, writes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const recordMs = result as StoreFigures['recordMs'];
  return { recordMs, otherTeamsRatio: recordMs.total10000 / recordMs.total10 };
}

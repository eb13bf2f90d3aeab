// Times `mesh-help export` for one team of 500 records: a first export, re-exports, and rendering alone.
// Run: npx tsx bench/export.ts [records]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportFiles, writeExport } from '../src/adr/index.js';
import { recordDecision } from '../src/domain/machine/record.js';
import { getFlow } from '../src/engine/load.js';
import { recommend } from '../src/engine/recommend.js';
import { emptyTeam } from '../src/store/index.js';
import { median, round } from './stats.js';

export type ExportFigures = { records: number; firstMs: number; unchangedMs: number; renderMs: number };

/** Times exporting `records` decisions of one team: into an empty folder, again unchanged, and rendering alone. */
export async function benchExport(records = 500, runs = 7): Promise<ExportFigures> {
  const flow = getFlow();
  const answers = { clusters: 'multi-region', services: '50-plus', pains: ['region-failover', 'mtls'], cni: 'cilium' };
  const recommendation = recommend(flow, answers);
  const doc = emptyTeam('bench');
  for (let i = 0; i < records; i++) {
    recordDecision(doc, {
      title: `Decision ${i}: adopt a cluster mesh for region failover`,
      answers,
      recommendation,
      status: 'accepted',
      by: `U${i % 9}`,
      byName: `Person ${i % 9}`,
      now: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
      ...(i % 10 === 9 ? { supersedes: i } : {}),
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'mesh-bench-export-'));
  const render: number[] = [];
  // The first run writes every file into an empty folder; later runs find them unchanged.
  const firstWrite: number[] = [];
  const total: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const files = exportFiles(flow, doc.teamId, doc.decisions);
      const t1 = performance.now();
      await writeExport(dir, files);
      const t2 = performance.now();
      render.push(t1 - t0);
      (r === 0 ? firstWrite : total).push(t2 - t0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    records,
    firstMs: round(firstWrite[0] ?? Number.NaN),
    unchangedMs: round(median(total)),
    renderMs: round(median(render)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchExport(Number(process.argv[2]) || 500);
  console.log(
    `export of ${f.records} records: into an empty folder ${f.firstMs} ms; again, unchanged (median) ${f.unchangedMs} ms; rendering alone (median) ${f.renderMs} ms`,
  );
}

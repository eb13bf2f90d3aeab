// Times the full recommendation (the engine plus its v3 sensitivity, which re-runs the engine once per other
// answer) on varied profiles; the target is under 20 ms. Run: npx tsx bench/recommend.ts [runs]
import { performance } from 'node:perf_hooks';
import type { Answers } from '../src/engine/flow.js';
import { getFlow } from '../src/engine/load.js';
import { advise, recommend } from '../src/engine/recommend.js';
import { median, round } from './stats.js';

export type RecommendFigures = { profiles: number; medianMs: number; maxMs: number; adviseMs: number };

const PROFILES: Answers[] = [
  {},
  { clusters: 'one', services: '50-plus', pains: ['mtls', 'flaky-calls', 'canary', 'tracing'], regulated: 'yes' },
  {
    clusters: 'multi-region',
    services: '50-plus',
    pains: ['region-failover', 'canary', 'mtls', 'cross-cluster-calls'],
    cni: 'cilium',
    network: 'flat',
    ops: 'platform-team',
    platform: 'eks',
  },
  {
    clusters: 'multi-region',
    fleet: '6-50',
    services: '50-plus',
    pains: ['cross-cluster-calls', 'mtls', 'region-failover', 'one-workload-many-clusters'],
    network: 'overlapping',
    cni: 'calico',
    regulated: 'yes',
    fips: 'yes',
    other_workloads: ['vms', 'windows-nodes'],
    ops: 'part-time',
    platform: 'mixed',
  },
];

/** Median and worst per-profile time of one full recommendation, and of the engine alone. */
export function benchRecommend(runs = 200): RecommendFigures {
  const flow = getFlow();
  const full: number[] = [];
  const alone: number[] = [];
  for (const answers of PROFILES) {
    for (let i = 0; i < 20; i++) recommend(flow, answers);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      recommend(flow, answers);
      const t1 = performance.now();
      advise(flow, answers);
      times.push(t1 - t0);
      alone.push(performance.now() - t1);
    }
    full.push(median(times));
  }
  return {
    profiles: PROFILES.length,
    medianMs: round(median(full)),
    maxMs: round(Math.max(...full)),
    adviseMs: round(median(alone)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = benchRecommend(Number(process.argv[2]) || 200);
  console.log(
    `full recommendation with sensitivity, ${f.profiles} profiles: median ${f.medianMs} ms, slowest profile ${f.maxMs} ms (target < 20); the engine alone ${f.adviseMs} ms`,
  );
}

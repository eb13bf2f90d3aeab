// Times drawing the recommended topology for ten team profiles: Graphviz's SVG, resvg's PNG, per recommendation.
// Run: npx tsx bench/diagram.ts [rounds]
import { performance } from 'node:perf_hooks';
import { diagramRenderer } from '../src/diagram/index.js';
import { getFlow } from '../src/engine/load.js';
import { recommend } from '../src/engine/recommend.js';
import { topologyOf } from '../src/engine/topology.js';
import { TOPOLOGY_PROFILES } from '../test/diagram/profiles.js';
import { median, percentile, round } from './stats.js';

export type DiagramFigures = {
  profiles: number;
  rounds: number;
  /** Compiling Graphviz's WebAssembly, once per process. */
  loadMs: number;
  svgMs: { p50: number; max: number };
  pngMs: { p50: number; max: number };
  /** SVG and PNG of one recommendation, the model included. */
  perRecommendationMs: { p50: number; p95: number; max: number };
  /** The slowest profile's median: the figure the 200 ms target is about. */
  slowestProfileMedianMs: number;
  /** CPU time of one recommendation's SVG and PNG (on a shared machine, wall time also counts waiting for a core). */
  cpuPerRecommendationMs: { p50: number; max: number };
};

/** This process's CPU time so far, in ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Draws every profile's topology `rounds` times after one warm-up round. */
export async function benchDiagram(rounds = 5): Promise<DiagramFigures> {
  const flow = getFlow();
  const t0 = performance.now();
  const renderer = await diagramRenderer();
  const loadMs = performance.now() - t0;
  const recs = TOPOLOGY_PROFILES.map((p) => ({ answers: p.answers, rec: recommend(flow, p.answers) }));
  const svg: number[] = [];
  const png: number[] = [];
  const total: number[] = [];
  const cpu: number[] = [];
  const byProfile: number[][] = recs.map(() => []);
  for (let r = -1; r < rounds; r++) {
    recs.forEach(({ answers, rec }, i) => {
      const cpuStart = cpuMs();
      const a = performance.now();
      const topology = topologyOf(flow, answers, rec);
      const drawn = renderer.svg(topology);
      const b = performance.now();
      const image = renderer.png(topology);
      const c = performance.now();
      const cpuEnd = cpuMs();
      if (!drawn.includes('<svg') || image.png.length === 0) throw new Error('nothing drawn');
      if (r < 0) return; // warm-up: the first PNG loads the font
      svg.push(b - a);
      png.push(c - b);
      total.push(c - a);
      cpu.push(cpuEnd - cpuStart);
      byProfile[i]?.push(c - a);
    });
  }
  return {
    profiles: recs.length,
    rounds,
    loadMs: round(loadMs, 1),
    svgMs: { p50: round(median(svg), 1), max: round(Math.max(...svg), 1) },
    pngMs: { p50: round(median(png), 1), max: round(Math.max(...png), 1) },
    perRecommendationMs: {
      p50: round(median(total), 1),
      p95: round(percentile(total, 0.95), 1),
      max: round(Math.max(...total), 1),
    },
    slowestProfileMedianMs: round(Math.max(...byProfile.map((xs) => median(xs))), 1),
    cpuPerRecommendationMs: { p50: round(median(cpu), 1), max: round(Math.max(...cpu), 1) },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchDiagram(Number(process.argv[2]) || 5);
  console.log(
    `topology diagrams, ${f.profiles} profiles × ${f.rounds} rounds: per recommendation (SVG + PNG) p50 ${f.perRecommendationMs.p50} ms, p95 ${f.perRecommendationMs.p95} ms, max ${f.perRecommendationMs.max} ms; slowest profile's median ${f.slowestProfileMedianMs} ms (target < 200); CPU per recommendation p50 ${f.cpuPerRecommendationMs.p50} ms, max ${f.cpuPerRecommendationMs.max} ms; SVG p50 ${f.svgMs.p50} ms, PNG p50 ${f.pngMs.p50} ms; Graphviz load once ${f.loadMs} ms`,
  );
}

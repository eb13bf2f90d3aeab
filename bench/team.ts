import { recordDecision } from '../src/domain/machine/record.js';
import { getFlow } from '../src/engine/load.js';
import { recommend } from '../src/engine/recommend.js';
import { emptyTeam, type TeamDoc } from '../src/store/index.js';

/** The store benchmarks' clock: every seeded record is made at this moment. */
export const now = new Date('2026-11-25T00:00:00Z');

export const answers = { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' };
export const recommendation = recommend(getFlow(), answers);

/** A team holding `records` accepted decisions, as the store benchmarks seed it. */
export function teamWith(teamId: string, records: number): TeamDoc {
  const doc = emptyTeam(teamId);
  for (let i = 0; i < records; i++) {
    recordDecision(doc, { title: `Decision ${i}`, answers, recommendation, status: 'accepted', by: 'U1', now });
  }
  return doc;
}

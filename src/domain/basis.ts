import { createHash } from 'node:crypto';
import { match } from 'ts-pattern';
import { z } from 'zod';
import type { Answers, Flow } from '../engine/flow.js';
import { Recommendation, recommend } from '../engine/recommend.js';

/** The catalogue facts a decision rested on for one chosen tool. */
export const ToolFacts = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  licence: z.string(),
  checked: z.string(),
  source: z.string(),
});
export type ToolFacts = z.infer<typeof ToolFacts>;

/** What an accepted decision was based on: its tools' facts, the engine's advice, and the flows it came from. */
export const Basis = z.looseObject({
  at: z.string(),
  tools: z.array(ToolFacts),
  recommendation: Recommendation,
  /** Content hash of the flows/ data the advice was computed with. */
  flows: z.string(),
  /** Computed later from the stored answers (a record accepted before bases were kept), not at acceptance. */
  reconstructed: z.boolean().default(false),
});
export type Basis = z.infer<typeof Basis>;

/** A chosen tool's fact that changed since acceptance. */
export type ToolDrift = {
  kind: 'tool';
  tool: string;
  name: string;
  field: 'status' | 'licence';
  from: string;
  to: string;
  source: string;
};

/** The same answers give different advice today. */
export type AdviceDrift = {
  kind: 'advice';
  primary?: { from: string; to: string };
  complements?: { added: string[]; removed: string[] };
  /** First choices that changed, by pattern (`to` undefined when the pattern is no longer recommended). */
  tools: { pattern: string; from?: string; to?: string }[];
  /** Reasons today's advice gives that the accepted one did not. */
  newReasons: string[];
};

export type Drift = ToolDrift | AdviceDrift;

/** The decision's fields a basis is computed from. */
type Decided = { answers: Answers; recommendation: Recommendation; chosen: string[] };

/** A stable hash of everything in flows/ that the advice depends on. */
export function flowsHash(flow: Flow): string {
  const data = { i: flow.interview, p: flow.patterns, r: flow.rules, t: flow.tools, c: flow.checklist };
  return createHash('sha256').update(stableJson(data)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The first-choice tools of the patterns the team chose (an override may have chosen patterns without one). */
export function chosenTools(decision: Decided): string[] {
  return decision.recommendation.tools
    .filter((t) => t.fit === 'first-choice' && decision.chosen.includes(t.pattern))
    .map((t) => t.tool);
}

/** The basis of a decision as of now: today's catalogue facts of its chosen tools, and the advice it was given. */
export function basisOf(flow: Flow, decision: Decided, now: Date, reconstructed = false): Basis {
  const tools = chosenTools(decision).flatMap((id) => {
    const t = flow.toolById.get(id);
    return t ? [{ id, name: t.name, status: t.status, licence: t.licence, checked: t.checked, source: t.source }] : [];
  });
  return {
    at: now.toISOString(),
    tools,
    recommendation: reconstructed ? recommend(flow, decision.answers) : decision.recommendation,
    flows: flowsHash(flow),
    reconstructed,
  };
}

const firstChoices = (r: Recommendation): Map<string, string> =>
  new Map(r.tools.filter((t) => t.fit === 'first-choice').map((t) => [t.pattern, t.tool]));

/** What changed between a decision's basis and today's catalogue and engine; empty when nothing did. */
export function driftOf(flow: Flow, basis: Basis, answers: Answers): Drift[] {
  const drifts: Drift[] = [];
  for (const then of basis.tools) {
    const now = flow.toolById.get(then.id);
    if (!now) continue;
    for (const field of ['status', 'licence'] as const) {
      if (now[field] !== then[field]) {
        drifts.push({
          kind: 'tool',
          tool: then.id,
          name: now.name,
          field,
          from: then[field],
          to: now[field],
          source: now.source,
        });
      }
    }
  }
  const before = basis.recommendation;
  const today = recommend(flow, answers);
  const added = today.complements.filter((p) => !before.complements.includes(p));
  const removed = before.complements.filter((p) => !today.complements.includes(p));
  const [was, is] = [firstChoices(before), firstChoices(today)];
  const tools = [...new Set([...was.keys(), ...is.keys()])]
    .filter((p) => was.get(p) !== is.get(p))
    .map((pattern) => ({ pattern, from: was.get(pattern), to: is.get(pattern) }));
  const primaryChanged = today.primary !== before.primary;
  if (primaryChanged || added.length || removed.length || tools.length) {
    const known = new Set(before.reasons.map((r) => r.because));
    drifts.push({
      kind: 'advice',
      ...(primaryChanged ? { primary: { from: before.primary, to: today.primary } } : {}),
      ...(added.length || removed.length ? { complements: { added, removed } } : {}),
      tools,
      newReasons: today.reasons.filter((r) => !known.has(r.because)).map((r) => r.because),
    });
  }
  return drifts;
}

/** A stable key of one drift, so a notice is posted once per change, not once per check. */
export function driftKey(drift: Drift): string {
  return match(drift)
    .with({ kind: 'tool' }, (d) => `tool:${d.tool}:${d.field}:${d.to}`)
    .with({ kind: 'advice' }, (d) => {
      const tools = d.tools.map((t) => `${t.pattern}=${t.to ?? '-'}`).join(',');
      const layers = `${d.complements?.added.join('+') ?? ''}-${d.complements?.removed.join('+') ?? ''}`;
      return `advice:${d.primary?.to ?? ''}:${tools}:${layers}`;
    })
    .exhaustive();
}

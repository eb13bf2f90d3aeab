import { match } from 'ts-pattern';
import type { Answers } from '../engine/flow.js';
import type { Recommendation } from '../engine/recommend.js';
import { err, ok, type Result } from '../engine/result.js';
import type { Decision, DecisionStatus, TeamDoc } from '../store/schema.js';

/** Days until a decision should be looked at again: sooner when the recommendation came with warnings. */
export const REVISIT_DAYS = { withWarnings: 90, otherwise: 180 } as const;

export function revisitDate(recommendation: Recommendation, decidedAt: Date): string {
  const days = recommendation.warnings.length > 0 ? REVISIT_DAYS.withWarnings : REVISIT_DAYS.otherwise;
  return new Date(decidedAt.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export type NewDecision = {
  title: string;
  answers: Answers;
  recommendation: Recommendation;
  /** Pattern ids the team chose; defaults to the recommendation's primary and complements. */
  chosen?: string[];
  overrideReason?: string;
  status: 'proposed' | 'accepted';
  by: string;
  now: Date;
  sessionId?: string;
  channel?: string;
  threadTs?: string;
  supersedes?: number;
};

export type DecisionError =
  | { kind: 'not-found'; number: number }
  | { kind: 'bad-transition'; from: DecisionStatus; to: DecisionStatus }
  | { kind: 'override-needs-reason' };

/** Statuses a record may move to from each status. */
const NEXT: Record<DecisionStatus, DecisionStatus[]> = {
  proposed: ['accepted', 'rejected'],
  accepted: ['deprecated', 'superseded'],
  rejected: [],
  deprecated: [],
  superseded: [],
};

export const recommendedPatterns = (r: Recommendation): string[] => [r.primary, ...r.complements];

/** True when the team chose something other than what was recommended. */
export function isOverride(d: Pick<Decision, 'chosen' | 'recommendation'>): boolean {
  const rec = recommendedPatterns(d.recommendation);
  return rec.length !== d.chosen.length || rec.some((p) => !d.chosen.includes(p));
}

/** Appends a numbered record (numbers are never reused); accepting also supersedes the revisited record. */
export function recordDecision(doc: TeamDoc, input: NewDecision): Result<Decision, DecisionError> {
  const at = input.now.toISOString();
  const chosen = input.chosen ?? recommendedPatterns(input.recommendation);
  const decision: Decision = {
    number: doc.nextDecisionNumber,
    title: input.title,
    status: 'proposed',
    answers: input.answers,
    recommendation: input.recommendation,
    chosen,
    createdBy: input.by,
    createdAt: at,
    updatedAt: at,
    replies: [],
    concerns: [],
    approvals: [],
    history: [{ at, by: input.by, to: 'proposed' }],
    ...(input.overrideReason ? { overrideReason: input.overrideReason } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    ...(input.supersedes ? { supersedes: input.supersedes } : {}),
  };
  if (isOverride(decision) && !input.overrideReason?.trim()) return err({ kind: 'override-needs-reason' });
  if (input.supersedes !== undefined && !doc.decisions.some((d) => d.number === input.supersedes)) {
    return err({ kind: 'not-found', number: input.supersedes });
  }
  doc.decisions.push(decision);
  doc.nextDecisionNumber += 1;
  if (input.status === 'accepted') {
    const accepted = transition(doc, decision.number, 'accepted', input.by, input.now);
    if (!accepted.ok) return accepted;
  }
  return ok(decision);
}

/** Moves a record along its life cycle; accepting a record that supersedes another marks that one superseded. */
export function transition(
  doc: TeamDoc,
  number: number,
  to: DecisionStatus,
  by: string,
  now: Date,
  note?: string,
): Result<Decision, DecisionError> {
  const decision = doc.decisions.find((d) => d.number === number);
  if (!decision) return err({ kind: 'not-found', number });
  if (!NEXT[decision.status].includes(to)) return err({ kind: 'bad-transition', from: decision.status, to });
  const at = now.toISOString();
  decision.status = to;
  decision.updatedAt = at;
  decision.history.push({ at, by, to, ...(note ? { note } : {}) });
  match(to)
    .with('accepted', () => {
      decision.decidedBy = by;
      decision.decidedAt = at;
      decision.revisitOn ??= revisitDate(decision.recommendation, now);
      const old = decision.supersedes ? doc.decisions.find((d) => d.number === decision.supersedes) : undefined;
      if (old && old.status === 'accepted') {
        old.status = 'superseded';
        old.supersededBy = decision.number;
        old.updatedAt = at;
        old.history.push({ at, by, to: 'superseded', note: `by ADR-${String(decision.number).padStart(4, '0')}` });
      }
    })
    .with('rejected', 'deprecated', 'superseded', 'proposed', () => undefined)
    .exhaustive();
  return ok(decision);
}

export const adrId = (n: number): string => `ADR-${String(n).padStart(4, '0')}`;

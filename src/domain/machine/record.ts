import { match } from 'ts-pattern';
import type { Answers } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { err, ok, type Result } from '../../engine/result.js';
import type { Decision, DecisionStatus, TeamDoc } from '../../store/schema.js';
import { carryDiscussion } from '../../team/discussion.js';
import { findByKey } from '../../team/lookup.js';
import { NEXT, REOPENABLE } from '../lifecycle.js';
import { adrId, isOverride, recommendedPatterns } from '../presentation.js';

export { adrId, isOverride, recommendedPatterns };

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
  /** Display name of `by`, kept for records and ADRs. */
  byName?: string;
  now: Date;
  sessionId?: string;
  channel?: string;
  threadTs?: string;
  supersedes?: number;
};

export type DecisionError =
  | { kind: 'not-found'; number: number }
  | { kind: 'bad-transition'; from: DecisionStatus; to: DecisionStatus }
  | { kind: 'override-needs-reason' }
  | { kind: 'other-team'; teamId: string };

/** Appends a numbered record (numbers are never reused); accepting also supersedes the revisited record. */
export function recordDecision(doc: TeamDoc, input: NewDecision): Result<Decision, DecisionError> {
  const at = input.now.toISOString();
  const chosen = input.chosen ?? recommendedPatterns(input.recommendation);
  // Never reuse a number, even if a hand-edited file left the counter behind the records.
  const number = Math.max(doc.nextDecisionNumber, ...doc.decisions.map((d) => d.number + 1));
  const decision: Decision = {
    number,
    title: input.title,
    status: 'proposed',
    answers: input.answers,
    recommendation: input.recommendation,
    chosen,
    createdBy: input.by,
    ...(input.byName ? { createdByName: input.byName } : {}),
    createdAt: at,
    updatedAt: at,
    replies: [],
    concerns: [],
    approvals: [],
    checklistTicks: {},
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
  // The thread's replies, concerns and approvals so far belong to the record from now on.
  const session = input.sessionId ? findByKey(doc.sessions, (s) => s.id === input.sessionId) : undefined;
  if (session) carryDiscussion(session, decision);
  if (session?.scope?.length) decision.scope = [...session.scope];
  doc.decisions.push(decision);
  doc.nextDecisionNumber = number + 1;
  if (input.status === 'accepted') {
    const accepted = transition(doc, decision.number, 'accepted', input.by, input.now, undefined, input.byName);
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
  byName?: string,
): Result<Decision, DecisionError> {
  const decision = findByKey(doc.decisions, (d) => d.number === number);
  if (!decision) return err({ kind: 'not-found', number });
  // `superseded` is reached only by accepting a successor, so the link is always written both ways.
  if (!NEXT[decision.status].includes(to) || to === 'superseded') {
    return err({ kind: 'bad-transition', from: decision.status, to });
  }
  const at = now.toISOString();
  decision.status = to;
  decision.updatedAt = at;
  decision.history.push({ at, by, to, ...(note ? { note } : {}) });
  match(to)
    .with('accepted', () => {
      decision.decidedBy = by;
      if (byName) decision.decidedByName = byName;
      else delete decision.decidedByName;
      decision.decidedAt = at;
      decision.revisitOn ??= revisitDate(decision.recommendation, now);
      const old = decision.supersedes ? findByKey(doc.decisions, (d) => d.number === decision.supersedes) : undefined;
      if (old && old.status === 'accepted') {
        old.status = 'superseded';
        old.supersededBy = decision.number;
        old.updatedAt = at;
        old.history.push({ at, by, to: 'superseded', note: `by ADR-${String(decision.number).padStart(4, '0')}` });
      }
    })
    .with('rejected', 'deprecated', 'proposed', () => undefined)
    .exhaustive();
  return ok(decision);
}

/**
 * Puts a decided record back to `proposed` for another look. Only someone of the
 * record's own team may do it (the caller passes the actor's team); the old
 * decider and revisit date are cleared so accepting again records them afresh.
 */
export function reopen(
  doc: TeamDoc,
  number: number,
  actor: { by: string; teamId: string },
  now: Date,
  note?: string,
): Result<Decision, DecisionError> {
  if (actor.teamId !== doc.teamId) return err({ kind: 'other-team', teamId: actor.teamId });
  const decision = findByKey(doc.decisions, (d) => d.number === number);
  if (!decision) return err({ kind: 'not-found', number });
  if (!REOPENABLE.includes(decision.status))
    return err({ kind: 'bad-transition', from: decision.status, to: 'proposed' });
  const at = now.toISOString();
  decision.status = 'proposed';
  decision.updatedAt = at;
  delete decision.decidedBy;
  delete decision.decidedByName;
  delete decision.decidedAt;
  delete decision.revisitOn;
  decision.history.push({ at, by: actor.by, to: 'proposed', ...(note ? { note } : {}) });
  // The record it superseded guides the team again until this one is accepted anew.
  const old = doc.decisions.find((d) => d.supersededBy === number && d.status === 'superseded');
  if (old) {
    old.status = 'accepted';
    delete old.supersededBy;
    old.updatedAt = at;
    old.history.push({ at, by: actor.by, to: 'accepted', note: `${adrId(number)} reopened` });
  }
  return ok(decision);
}

import { match } from 'ts-pattern';
import type { Answers } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { err, ok, type Result } from '../../engine/result.js';
import { carryDiscussion } from '../../team/discussion.js';
import { findByKey } from '../../team/lookup.js';
import { NEXT, REOPENABLE } from '../lifecycle.js';
import type { Decision, DecisionStatus } from '../model.js';
import { adrId, isOverride, recommendedPatterns } from '../presentation.js';
import type { TeamDoc } from '../team.js';

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
    history: [{ at, by: input.by, ...(input.byName ? { byName: input.byName } : {}), to: 'proposed' }],
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
  decision.history.push({ at, by, ...(byName ? { byName } : {}), to, ...(note ? { note } : {}) });
  match(to)
    .with('accepted', () => {
      decision.decidedBy = by;
      if (byName) decision.decidedByName = byName;
      else delete decision.decidedByName;
      decision.decidedAt = at;
      decision.revisitOn ??= revisitDate(decision.recommendation, now);
      const old = decision.supersedes ? findByKey(doc.decisions, (d) => d.number === decision.supersedes) : undefined;
      if (old && old.status === 'accepted') markSuperseded(old, decision.number, { by, byName }, at);
    })
    .with('rejected', 'deprecated', 'proposed', () => undefined)
    .exhaustive();
  return ok(decision);
}

/** The accepted `old` record gives way to `successor`; the history credits the person who did it. */
function markSuperseded(
  old: Decision,
  successor: number,
  actor: { by: string; byName?: string | undefined },
  at: string,
) {
  old.status = 'superseded';
  old.supersededBy = successor;
  old.updatedAt = at;
  old.history.push({
    at,
    by: actor.by,
    ...(actor.byName ? { byName: actor.byName } : {}),
    to: 'superseded',
    note: `by ${adrId(successor)}`,
  });
}

/**
 * Makes `successor` the record that supersedes the accepted record `number`:
 * a proposed successor is accepted (which supersedes the old one, as a revisit
 * does); an accepted one supersedes it at once. Checks come first, so a
 * refusal changes nothing.
 */
export function supersede(
  doc: TeamDoc,
  number: number,
  successor: number,
  actor: { by: string; byName?: string | undefined },
  now: Date,
  note?: string,
): Result<{ old: Decision; successor: Decision; accepted: boolean }, SupersedeError> {
  const old = findByKey(doc.decisions, (d) => d.number === number);
  if (!old) return err({ kind: 'not-found', number });
  const next = findByKey(doc.decisions, (d) => d.number === successor);
  if (!next) return err({ kind: 'not-found', number: successor });
  if (successor === number) return err({ kind: 'itself', number });
  if (!NEXT[old.status].includes('superseded'))
    return err({ kind: 'bad-transition', from: old.status, to: 'superseded' });
  if (next.supersedes !== undefined && next.supersedes !== number) {
    return err({ kind: 'revisits-another', number: successor, revisits: next.supersedes });
  }
  if (next.status !== 'proposed' && next.status !== 'accepted') {
    return err({ kind: 'successor-closed', number: successor, status: next.status });
  }
  next.supersedes = number;
  if (next.status === 'proposed') {
    const accepted = transition(doc, successor, 'accepted', actor.by, now, note, actor.byName);
    if (!accepted.ok) return accepted;
    return ok({ old, successor: next, accepted: true });
  }
  const at = now.toISOString();
  next.updatedAt = at;
  markSuperseded(old, successor, actor, at);
  return ok({ old, successor: next, accepted: false });
}

/** Why one record cannot supersede another. */
export type SupersedeError =
  | DecisionError
  | { kind: 'itself'; number: number }
  | { kind: 'revisits-another'; number: number; revisits: number }
  | { kind: 'successor-closed'; number: number; status: DecisionStatus };

/**
 * Puts a decided record back to `proposed` for another look. Only someone of the
 * record's own team may do it (the caller passes the actor's team); the old
 * decider and revisit date are cleared so accepting again records them afresh.
 */
export function reopen(
  doc: TeamDoc,
  number: number,
  actor: { by: string; teamId: string; byName?: string | undefined },
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
  const who = { by: actor.by, ...(actor.byName ? { byName: actor.byName } : {}) };
  decision.history.push({ at, ...who, to: 'proposed', ...(note ? { note } : {}) });
  // The record it superseded guides the team again until this one is accepted anew.
  const old = doc.decisions.find((d) => d.supersededBy === number && d.status === 'superseded');
  if (old) {
    old.status = 'accepted';
    delete old.supersededBy;
    old.updatedAt = at;
    old.history.push({ at, ...who, to: 'accepted', note: `${adrId(number)} reopened` });
  }
  return ok(decision);
}

import { err, type Result } from '../../engine/result.js';
import { carryDiscussion } from '../../team/discussion.js';
import { stampRules } from '../../team/governance.js';
import { findByKey } from '../../team/lookup.js';
import type { Decision, Session } from '../model.js';
import type { TeamDoc } from '../team.js';
import { type DecisionError, recommendedPatterns, recordDecision, transition } from './record.js';

/** Why a session's recommendation cannot be accepted yet: the team's rule asks for more distinct approvals. */
export type MissingApprovals = { kind: 'needs-approvals'; have: number; need: number };

/** Distinct people who approved the session's current recommendation. */
export const approvers = (s: Pick<Session, 'approvals'>): string[] => [...new Set(s.approvals.map((a) => a.by))];

/** Required approvers (`config approvers`) who have not approved the session's recommendation yet. */
export function requiredNotApproved(doc: TeamDoc, s: Pick<Session, 'approvals'>): string[] {
  const done = new Set(approvers(s));
  return (doc.config.approvers ?? []).filter((u) => !done.has(u));
}

/** How many approvals the card asks for: the count rule, or every named approver when there are more of them. */
export const approvalsNeeded = (doc: TeamDoc): number =>
  Math.max(doc.config.approvals, doc.config.approvers?.length ?? 0);

/**
 * Quorum: at least `config approvals` different people, and, when the team
 * named required approvers, every one of them.
 */
export function approvalsMissing(doc: TeamDoc, s: Pick<Session, 'approvals'>): MissingApprovals | undefined {
  const count = approvers(s).length;
  const required = doc.config.approvers ?? [];
  const pending = requiredNotApproved(doc, s).length;
  if (pending) return { kind: 'needs-approvals', have: required.length - pending, need: required.length };
  const need = doc.config.approvals;
  return count < need ? { kind: 'needs-approvals', have: count, need } : undefined;
}

export type AcceptInput = {
  by: string;
  byName?: string | undefined;
  now: Date;
  channel: string;
  threadTs: string;
  override?: { chosen: string[]; reason: string } | undefined;
};

/**
 * Accepts a complete session inside a store update: a new numbered record, or,
 * when the session's record was reopened, that same record accepted again with
 * the current answers (numbers are never spent twice on one interview). The
 * session's approvals move onto the record (carryDiscussion), where the ADR prints them.
 */
export function acceptSession(doc: TeamDoc, s: Session, input: AcceptInput): Result<Decision, DecisionError> {
  if (!s.recommendation) return err({ kind: 'not-found', number: s.decisionNumber ?? 0 });
  const reopened = s.decisionNumber ? findByKey(doc.decisions, (d) => d.number === s.decisionNumber) : undefined;
  if (reopened?.status === 'proposed') {
    const before = [...reopened.chosen].sort().join(',');
    reopened.answers = { ...s.answers };
    reopened.recommendation = copyRecommendation(s.recommendation);
    reopened.chosen = input.override?.chosen ?? recommendedPatterns(s.recommendation);
    if (input.override) reopened.overrideReason = input.override.reason;
    else delete reopened.overrideReason;
    // Approvals were given to the old outcome: a different one keeps only those given since the reopen.
    const changed = [...reopened.chosen].sort().join(',') !== before;
    if (changed) reopened.approvals = [];
    // What the thread said since the reopen (fresh approvals included) joins the record.
    carryDiscussion(s, reopened);
    const note = changed
      ? `outcome changed from ${before.replaceAll(',', ', ')}; earlier approvals dropped`
      : undefined;
    const accepted = transition(doc, reopened.number, 'accepted', input.by, input.now, note, input.byName);
    if (accepted.ok) settle(doc, s, accepted.value);
    return accepted;
  }
  const recorded = recordDecision(doc, {
    title: s.title,
    answers: s.answers,
    recommendation: s.recommendation,
    status: 'accepted',
    by: input.by,
    ...(input.byName ? { byName: input.byName } : {}),
    now: input.now,
    sessionId: s.id,
    channel: input.channel,
    threadTs: input.threadTs,
    ...(input.override ? { chosen: input.override.chosen, overrideReason: input.override.reason } : {}),
    ...(s.revisits ? { supersedes: s.revisits } : {}),
  });
  if (recorded.ok) settle(doc, s, recorded.value);
  return recorded;
}

/** What an accepted record takes from its interview and the team: its privacy, and the rules it was accepted under. */
function settle(doc: TeamDoc, s: Session, decision: Decision): void {
  if (s.privateTo) decision.privateTo = s.privateTo;
  stampRules(doc, s, decision);
}

/** A plain copy of a recommendation held in a store draft. */
const copyRecommendation = (r: NonNullable<Session['recommendation']>): NonNullable<Session['recommendation']> => ({
  primary: r.primary,
  complements: [...r.complements],
  notNow: [...r.notNow],
  reasons: r.reasons.map((x) => ({ ...x })),
  warnings: [...r.warnings],
  tools: r.tools.map((x) => ({ ...x })),
  checklist: r.checklist.map((x) => ({ ...x })),
});

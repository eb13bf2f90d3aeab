import { match } from 'ts-pattern';
import type { Decision, RuleChange, RuleEditors, Session, TeamConfig } from '../domain/model.js';
import type { TeamDoc } from '../domain/team.js';

export const DEFAULT_EDITORS: RuleEditors = 'admins-and-owners';

/** Who is asking to change a rule: their Slack id, and whether Slack says they administer the workspace. */
export type Actor = { user: string; isAdmin: boolean };

export const editorsOf = (config: TeamConfig): RuleEditors => config.editors ?? DEFAULT_EDITORS;
export const ownersOf = (config: TeamConfig): string[] => config.owners ?? [];

/** Whether the admin flag is needed to decide (saves a users.info call when it is not). */
export function needsAdminCheck(config: TeamConfig, user: string): boolean {
  return match(editorsOf(config))
    .with('anyone', () => false)
    .with('owners', () => false)
    .with('admins', () => true)
    .with('admins-and-owners', () => !ownersOf(config).includes(user))
    .exhaustive();
}

/**
 * May this person change the team's rules? `bootstrapOwners` is a first
 * `config owners …` while no owner is named: whoever names them becomes one,
 * unless only admins may change rules.
 */
export function mayChangeRules(config: TeamConfig, actor: Actor, bootstrapOwners = false): boolean {
  const owner = ownersOf(config).includes(actor.user);
  return match(editorsOf(config))
    .with('anyone', () => true)
    .with('owners', () => owner || (bootstrapOwners && ownersOf(config).length === 0))
    .with('admins', () => actor.isAdmin)
    .with('admins-and-owners', () => owner || actor.isAdmin || (bootstrapOwners && ownersOf(config).length === 0))
    .exhaustive();
}

/** Records a rule change in the team's history; approvals changes also go on the records they affect. */
export function recordRuleChange(doc: TeamDoc, change: RuleChange): void {
  doc.config.history = [...(doc.config.history ?? []), change];
  if (change.setting !== 'approvals') return;
  // A record accepted since the previous approvals change, whose interview already saw the rule change,
  // gets this change too: "lowered, accepted, raised back" reads whole on the record.
  const previous = (doc.config.history ?? [])
    .slice(0, -1)
    .filter((c) => c.setting === 'approvals')
    .at(-1);
  if (!previous) return;
  for (const d of doc.decisions) {
    if (!d.decidedAt || d.decidedAt < previous.at || !d.ruleChanges?.length) continue;
    d.ruleChanges = [...d.ruleChanges, change];
  }
}

/**
 * On acceptance: the approvals rule in force, and the changes of it that bear
 * on this record: those made while its interview was open, and the last one
 * when it lowered the rule (lowering it before starting is no way round).
 */
export function stampRules(doc: TeamDoc, session: Pick<Session, 'createdAt'>, decision: Decision): void {
  decision.acceptedUnderApprovals = doc.config.approvals;
  const changes = (doc.config.history ?? []).filter((c) => c.setting === 'approvals');
  const last = changes.at(-1);
  const lowered = last && Number(last.to) < Number(last.from) ? [last] : [];
  const bearing = changes.filter((c) => c.at >= session.createdAt || lowered.includes(c));
  const known = new Set((decision.ruleChanges ?? []).map((c) => `${c.at}/${c.setting}`));
  const fresh = bearing.filter((c) => !known.has(`${c.at}/${c.setting}`));
  if (fresh.length) decision.ruleChanges = [...(decision.ruleChanges ?? []), ...fresh];
}

/** "approvals 3 → 0 by <id> on 2026-05-01" lines, for cards and ADRs (the caller renders the person). */
export function describeRuleChange(c: RuleChange, who: (id: string) => string): string {
  return `${c.setting} ${c.from} → ${c.to} by ${who(c.by)} on ${c.at.slice(0, 10)}`;
}

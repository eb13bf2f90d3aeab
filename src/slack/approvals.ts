import type { WebClient } from '@slack/web-api';
import type { TeamDoc } from '../store/index.js';
import { approve } from '../team/discussion.js';
import { findByKey } from '../team/lookup.js';
import { approvers } from './accept.js';
import type { SlackDeps } from './context.js';
import { type Plan, planFor } from './effects.js';
import { checkCard, type DecideOutcome, locate, schedule } from './interview.js';
import type { MessageRef } from './payloads.js';

export type ApproveInput = {
  /** The approver's handle, shown in the ADR beside the id. */
  userName?: string | undefined;
  at: MessageRef;
  user: string;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
};

/** What came of a click on Approve; refusals are the card checks a decision gets. */
export type ApproveOutcome =
  | Exclude<DecideOutcome, { kind: 'decided' } | { kind: 'needs-approvals' } | { kind: 'refused' }>
  | { kind: 'approved'; have: number; need: number; plan: Plan }
  | { kind: 'already-approved'; have: number; need: number };

/**
 * Records one person's approval of the current recommendation card. The same
 * person approving twice counts once; only people of the owning team approve.
 */
export async function approveFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: ApproveInput,
): Promise<ApproveOutcome> {
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  const refused = checkCard(found, input.at, input.userTeam);
  if (refused || !found) return narrow(refused) ?? { kind: 'not-found' };
  const outcome = await deps.store.update(found.teamId, (doc: TeamDoc): ApproveOutcome => {
    const s = findByKey(doc.sessions, (x) => x.id === found.session.id);
    const again = checkCard(s ? { teamId: found.teamId, session: s } : undefined, input.at, input.userTeam);
    if (again || !s) return narrow(again) ?? { kind: 'not-found' };
    const need = doc.config.approvals;
    if (approvers(s).includes(input.user)) return { kind: 'already-approved', have: approvers(s).length, need };
    const now = deps.now();
    approve(s, { by: input.user, ...(input.userName ? { byName: input.userName } : {}), at: now.toISOString() });
    s.version += 1;
    s.updatedAt = now.toISOString();
    return {
      kind: 'approved',
      have: approvers(s).length,
      need,
      plan: planFor(found.teamId, s.id, input.at, { refreshCard: input.at.ts }),
    };
  });
  if (outcome.kind === 'approved') await schedule(deps, client, outcome.plan);
  return outcome;
}

/** checkCard only ever returns the refusals an approval shares with a decision. */
function narrow(o: DecideOutcome | undefined): ApproveOutcome | undefined {
  if (!o || o.kind === 'decided' || o.kind === 'needs-approvals' || o.kind === 'refused') return undefined;
  return o;
}

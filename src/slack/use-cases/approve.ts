import type { WebClient } from '@slack/web-api';
import type { ApproveOutcome as MachineApproveOutcome } from '../../domain/machine/events.js';
import type { MessageRef } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { locate, mayChange } from './interview.js';

export type ApproveInput = {
  /** The approver's handle, shown in the ADR beside the id. */
  userName?: string | undefined;
  at: MessageRef;
  user: string;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
};

/** What came of a click on Approve; refusals are the card checks a decision gets. */
export type ApproveOutcome = { kind: 'foreign-team'; owner: string } | MachineApproveOutcome;

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
  if (!found) return { kind: 'not-found' };
  // Checked before any write: someone of another team changes nothing, not even the file's lock.
  if (!mayChange(found.session, input.userTeam)) return { kind: 'foreign-team', owner: found.teamId };
  return dispatch(deps, client, found.teamId, {
    type: 'approve',
    sessionId: found.session.id,
    at: input.at,
    by: input.user,
    byName: input.userName,
  });
}

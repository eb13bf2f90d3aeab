import type { WebClient } from '@slack/web-api';
import type { Event, Outcomes, RecordRefusal } from '../../domain/machine/events.js';
import { assertTeamId, type Decision, decisionByNumber, type TeamDoc } from '../../store/index.js';
import type { MessageRef } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';

/** A record named by a decision card's button, checked against the teams this request may speak for. */
export type RecordRef = { teamId: string; number: number };

export type FoundRecord = { teamId: string; doc: TeamDoc; decision: Decision };

/**
 * Finds the record a card button names. The team in the button was written by
 * the bot, but it must still be one of the request's candidate teams (the
 * bot's own workspace, or the clicking person's).
 */
export async function findRecord(
  deps: SlackDeps,
  candidates: (string | undefined)[],
  ref: RecordRef | undefined,
): Promise<FoundRecord | undefined> {
  if (!ref || !candidates.includes(ref.teamId)) return undefined;
  try {
    assertTeamId(ref.teamId);
  } catch {
    return undefined;
  }
  const doc = await deps.store.read(ref.teamId);
  const decision = decisionByNumber(doc, ref.number);
  return decision ? { teamId: ref.teamId, doc, decision } : undefined;
}

/** A click on a decision card's life-cycle button (reopen, deprecate, reject). */
export type RecordActionInput = {
  ref: RecordRef | undefined;
  /** The decision card that was clicked: re-rendered to show the new status. */
  at: MessageRef;
  user: string;
  userName?: string | undefined;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
};

export type { RecordRefusal };

export type ReopenOutcome = Outcomes['reopen'];
export type RejectOutcome = Outcomes['reject'];
export type DeprecateOutcome = Outcomes['deprecate'];

/**
 * A click on Reopen, Deprecate or Reject of a decision card, as the state
 * machine's event: checked against the teams this request may speak for
 * first (refusals write nothing), then one step and its effects.
 */
export async function recordAction<T extends 'reopen' | 'reject' | 'deprecate'>(
  deps: SlackDeps,
  client: WebClient,
  type: T,
  input: RecordActionInput,
): Promise<Outcomes[T] | RecordRefusal> {
  const found = await findRecord(deps, input.candidates, input.ref);
  if (!found) return { kind: 'not-found' };
  // Checked before any write, so a refused person leaves the team's file untouched.
  if (input.userTeam !== found.teamId) return { kind: 'foreign-team' };
  const event = {
    type,
    number: found.decision.number,
    by: input.user,
    byName: input.userName,
    userTeam: input.userTeam,
    card: { channel: input.at.channel, ts: input.at.ts },
  } as Extract<Event, { type: T }>;
  return dispatch(deps, client, found.teamId, event) as Promise<Outcomes[T]>;
}

/** `decision:reopen`: an accepted, rejected or deprecated record is proposed again; its card takes decisions again. */
export const reopenFromSlack = (deps: SlackDeps, client: WebClient, input: RecordActionInput) =>
  recordAction(deps, client, 'reopen', input);

/** `decision:reject`: a proposed (reopened) record is turned down; its interview stops taking decisions. */
export const rejectFromSlack = (deps: SlackDeps, client: WebClient, input: RecordActionInput) =>
  recordAction(deps, client, 'reject', input);

/** `decision:deprecate`: an accepted record no longer guides new work. */
export const deprecateFromSlack = (deps: SlackDeps, client: WebClient, input: RecordActionInput) =>
  recordAction(deps, client, 'deprecate', input);

import type { WebClient } from '@slack/web-api';
import type { TickOutcome as MachineTickOutcome } from '../../domain/machine/events.js';
import type { ChecklistChange } from '../ids.js';
import type { MessageRef } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { locate, mayChange } from './interview.js';

export type TickInput = {
  at: MessageRef;
  user: string;
  /** The handle Slack sends with the click, kept beside the id for records. */
  userName?: string | undefined;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
  /** What the click changed, each with the state it asks for; undefined when the click could not be read. */
  changes: readonly ChecklistChange[] | undefined;
};

/** What came of a click on a checklist; only `changed` stored anything. */
export type TickOutcome = { kind: 'bad-value' } | { kind: 'foreign-team' } | MachineTickOutcome;

/**
 * Ticks or unticks readiness items of a thread's checklist, one state machine
 * `tick` per changed item, so each is stored on its own and two people ticking
 * different items both keep theirs. Only people of the owning team tick; the
 * item must be on the checklist shown. One outcome per change, or a single
 * refusal.
 */
export async function tickFromSlack(deps: SlackDeps, client: WebClient, input: TickInput): Promise<TickOutcome[]> {
  if (!input.changes) return [{ kind: 'bad-value' }];
  if (!input.changes.length) return [];
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  if (!found) return [{ kind: 'not-found' }];
  if (!mayChange(found.session, input.userTeam)) return [{ kind: 'foreign-team' }];
  const outcomes: TickOutcome[] = [];
  for (const change of input.changes) {
    const outcome = await dispatch(deps, client, found.teamId, {
      type: 'tick',
      sessionId: found.session.id,
      ts: input.at.ts,
      key: change.key,
      intent: change.intent,
      by: input.user,
      byName: input.userName,
    });
    outcomes.push(outcome);
    // A refusal of the whole checklist holds for every other change of the click too.
    if (outcome.kind === 'not-found' || outcome.kind === 'not-current') break;
  }
  return outcomes;
}

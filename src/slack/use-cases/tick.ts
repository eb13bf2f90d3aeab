import type { WebClient } from '@slack/web-api';
import type { TickOutcome as MachineTickOutcome } from '../../domain/machine/events.js';
import { parseChecklistValue } from '../ids.js';
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
  /** The button's value: `tick:<key>` or `untick:<key>`. */
  value: string | undefined;
};

/** What came of a click on a checklist button; only `changed` stored anything. */
export type TickOutcome = { kind: 'bad-value' } | { kind: 'foreign-team' } | MachineTickOutcome;

/**
 * Ticks or unticks one readiness item of a thread's checklist (the state
 * machine's `tick`). Only people of the owning team tick; the item must be on
 * the checklist shown.
 */
export async function tickFromSlack(deps: SlackDeps, client: WebClient, input: TickInput): Promise<TickOutcome> {
  const asked = parseChecklistValue(input.value);
  if (!asked) return { kind: 'bad-value' };
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  if (!found) return { kind: 'not-found' };
  if (!mayChange(found.session, input.userTeam)) return { kind: 'foreign-team' };
  return dispatch(deps, client, found.teamId, {
    type: 'tick',
    sessionId: found.session.id,
    ts: input.at.ts,
    key: asked.key,
    intent: asked.intent,
    by: input.user,
    byName: input.userName,
  });
}

import type { WebClient } from '@slack/web-api';
import { checklistState } from '../engine/checklist.js';
import type { Tick } from '../store/index.js';
import { checklistHolder, checklistRecommendation, checklistTsOf } from './checklist-messages.js';
import type { SlackDeps } from './context.js';
import { type Plan, planFor } from './effects.js';
import { parseChecklistValue } from './ids.js';
import { locate, mayChange, schedule } from './interview.js';
import type { MessageRef } from './payloads.js';

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
export type TickOutcome =
  | { kind: 'bad-value' }
  | { kind: 'not-found' }
  | { kind: 'foreign-team' }
  | { kind: 'not-current' }
  | { kind: 'unknown-item' }
  /** The item was already in the state the button asks for (a double click, or someone was quicker). */
  | { kind: 'unchanged'; intent: 'tick' | 'untick'; tick?: Tick | undefined }
  | { kind: 'changed'; intent: 'tick' | 'untick'; plan: Plan };

/**
 * Ticks or unticks one readiness item of a thread's checklist in one store
 * update: on the session, or on its decision once decided. The button says
 * which state it asks for, so a repeated click changes nothing. Only people
 * of the owning team tick; the item must be on the checklist shown.
 */
export async function tickFromSlack(deps: SlackDeps, client: WebClient, input: TickInput): Promise<TickOutcome> {
  const asked = parseChecklistValue(input.value);
  if (!asked) return { kind: 'bad-value' };
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  if (!found) return { kind: 'not-found' };
  if (!mayChange(found.session, input.userTeam)) return { kind: 'foreign-team' };
  const outcome = await deps.store.update(found.teamId, (doc): TickOutcome => {
    const held = checklistHolder(doc, found.session.id);
    if (!held) return { kind: 'not-found' };
    if (checklistTsOf(held) !== input.at.ts) return { kind: 'not-current' };
    const { session, holder } = held;
    const rec = checklistRecommendation(held);
    if (!rec || !checklistState(rec).some((line) => line.key === asked.key)) return { kind: 'unknown-item' };
    const current = holder.checklistTicks[asked.key];
    if (asked.intent === 'tick' ? current : !current) return { kind: 'unchanged', intent: asked.intent, tick: current };
    const now = deps.now().toISOString();
    if (asked.intent === 'tick') {
      holder.checklistTicks[asked.key] = {
        by: input.user,
        ...(input.userName ? { byName: input.userName } : {}),
        at: now,
      };
    } else {
      delete holder.checklistTicks[asked.key];
    }
    // Like concerns, a tick leaves updatedAt alone: it is the record's date in the ADR, and the decision did not change.
    return {
      kind: 'changed',
      intent: asked.intent,
      plan: planFor(found.teamId, session.id, input.at, { refreshChecklist: input.at.ts }),
    };
  });
  if (outcome.kind === 'changed') await schedule(deps, client, outcome.plan);
  return outcome;
}

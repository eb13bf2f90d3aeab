import type { WebClient } from '@slack/web-api';
import type { Decision } from '../store/index.js';
import { adrId, transition } from '../team/decisions.js';
import { type Message, who } from './blocks/kit.js';
import type { SlackDeps } from './context.js';
import { refusalNotice } from './record-notices.js';
import { findRecord, type RecordActionInput, type RecordRefusal, refusalOf } from './records.js';
import { announce, noteInThread, refreshCards } from './status-changes.js';

export type DeprecateOutcome = { kind: 'deprecated'; decision: Decision } | RecordRefusal;

/**
 * `decision:deprecate`: an accepted record no longer guides new work. Only
 * people of the record's own team; every copy of its card is updated, its
 * thread told, and the team's decisions channel notified.
 */
export async function deprecateFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: RecordActionInput,
): Promise<DeprecateOutcome> {
  const found = await findRecord(deps, input.candidates, input.ref);
  if (!found) return { kind: 'not-found' };
  if (input.userTeam !== found.teamId) return { kind: 'foreign-team' };
  const number = found.decision.number;
  const outcome = await deps.store.update(found.teamId, (doc): DeprecateOutcome => {
    const r = transition(doc, number, 'deprecated', input.user, deps.now(), 'deprecated from Slack', input.userName);
    if (r.ok) return { kind: 'deprecated', decision: r.value };
    return refusalOf(r.error, (from) => `${adrId(number)} is ${from}; only an accepted record can be deprecated.`);
  });
  if (outcome.kind !== 'deprecated') return outcome;
  await refreshCards(deps, client, found.teamId, number, { channel: input.at.channel, ts: input.at.ts });
  const note = `:wastebasket: ${who(input.user)} deprecated *${adrId(number)}*: it no longer guides new work. Its team can reopen it from the card.`;
  await noteInThread(deps, client, outcome.decision, note, 'deprecation');
  await announce(deps, client, found.teamId, number, { kind: 'deprecated', actor: input.user });
  return outcome;
}

/** The private note after a click on Deprecate; nothing when it worked (the card and thread say so). */
export const deprecateNotice = (outcome: DeprecateOutcome): Message | undefined =>
  outcome.kind === 'deprecated' ? undefined : refusalNotice(outcome, 'deprecate');

import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import type { Decision } from '../store/index.js';
import { adrId, transition } from '../team/decisions.js';
import { type Message, who } from './blocks/kit.js';
import { noticeMessage } from './blocks/menu.js';
import type { SlackDeps } from './context.js';
import { escapeText } from './escape.js';
import { FOREIGN_TEAM } from './outcomes.js';
import type { MessageRef } from './payloads.js';
import { findRecord, type RecordRef } from './records.js';
import { announce, noteInThread, refreshCards } from './status-changes.js';

export type DeprecateOutcome =
  | { kind: 'deprecated'; decision: Decision }
  | { kind: 'not-found' }
  | { kind: 'foreign-team' }
  | { kind: 'refused'; message: string };

/**
 * `decision:deprecate`: an accepted record no longer guides new work. Only
 * people of the record's own team; every copy of its card is updated, its
 * thread told, and the team's decisions channel notified.
 */
export async function deprecateFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: {
    ref: RecordRef | undefined;
    at: MessageRef;
    user: string;
    userName: string | undefined;
    userTeam: string | undefined;
    candidates: (string | undefined)[];
  },
): Promise<DeprecateOutcome> {
  const found = await findRecord(deps, input.candidates, input.ref);
  if (!found) return { kind: 'not-found' };
  if (input.userTeam !== found.teamId) return { kind: 'foreign-team' };
  const number = found.decision.number;
  const outcome = await deps.store.update(found.teamId, (doc): DeprecateOutcome => {
    const r = transition(doc, number, 'deprecated', input.user, deps.now(), 'deprecated from Slack', input.userName);
    if (r.ok) return { kind: 'deprecated', decision: r.value };
    return match(r.error)
      .with({ kind: 'bad-transition' }, (e) => ({
        kind: 'refused' as const,
        message: `${adrId(number)} is ${e.from}; only an accepted record can be deprecated.`,
      }))
      .with({ kind: 'not-found' }, () => ({ kind: 'not-found' as const }))
      .with({ kind: 'other-team' }, () => ({ kind: 'foreign-team' as const }))
      .with({ kind: 'override-needs-reason' }, () => ({ kind: 'refused' as const, message: 'Not possible.' }))
      .exhaustive();
  });
  if (outcome.kind !== 'deprecated') return outcome;
  await refreshCards(deps, client, found.teamId, number, { channel: input.at.channel, ts: input.at.ts });
  const note = `:wastebasket: ${who(input.user)} deprecated *${adrId(number)}*: it no longer guides new work. Its team can reopen it from the card.`;
  await noteInThread(deps, client, outcome.decision, note, 'deprecation');
  await announce(deps, client, found.teamId, number, { kind: 'deprecated', actor: input.user });
  return outcome;
}

/** The private note after a click on Deprecate; nothing when it worked (the card and thread say so). */
export function deprecateNotice(outcome: DeprecateOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'deprecated' }, () => undefined)
    .with({ kind: 'not-found' }, () => noticeMessage('I can’t find that decision record any more.'))
    .with({ kind: 'foreign-team' }, () =>
      noticeMessage(`${FOREIGN_TEAM} Only people of the record’s own team can deprecate it.`),
    )
    .with({ kind: 'refused' }, (o) => noticeMessage(escapeText(o.message)))
    .exhaustive();
}

import type { WebClient } from '@slack/web-api';
import type { Decision } from '../store/index.js';
import { adrId, transition } from '../team/decisions.js';
import { findByKey } from '../team/lookup.js';
import { type Message, section, who } from './blocks/kit.js';
import type { SlackDeps } from './context.js';
import { planFor } from './effects.js';
import { isPending, schedule, slackError } from './interview.js';
import { refusalNotice } from './record-notices.js';
import { findRecord, type RecordActionInput, type RecordRefusal, refusalOf } from './records.js';
import { announce, noteInThread, refreshCards } from './status-changes.js';

export type RejectOutcome =
  | { kind: 'rejected'; decision: Decision; card?: { channel: string; ts: string; threadTs: string; session: string } }
  | RecordRefusal;

/**
 * `decision:reject`: a proposed (reopened) record is turned down. Same checks
 * as reopen and deprecate: people of the record's own team only, refusals
 * write nothing. Its interview stops taking decisions, every copy of the card
 * shows the new status, the thread is told and the decisions channel notified.
 */
export async function rejectFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: RecordActionInput,
): Promise<RejectOutcome> {
  const found = await findRecord(deps, input.candidates, input.ref);
  if (!found) return { kind: 'not-found' };
  if (input.userTeam !== found.teamId) return { kind: 'foreign-team' };
  const number = found.decision.number;
  const outcome = await deps.store.update(found.teamId, (doc): RejectOutcome => {
    const now = deps.now();
    const r = transition(doc, number, 'rejected', input.user, now, 'rejected from Slack', input.userName);
    if (!r.ok)
      return refusalOf(r.error, (from) => `${adrId(number)} is ${from}; only a proposed record can be rejected.`);
    // The reopened interview's recommendation card stops taking decisions on a rejected record.
    const s = findByKey(doc.sessions, (x) => x.id === r.value.sessionId && x.decisionNumber === number);
    if (s?.status !== 'complete') return { kind: 'rejected', decision: r.value };
    s.status = 'decided';
    s.version += 1;
    s.updatedAt = now.toISOString();
    const card =
      s.channel && s.threadTs && s.cardTs && !isPending(s.cardTs)
        ? { channel: s.channel, ts: s.cardTs, threadTs: s.threadTs, session: s.id }
        : undefined;
    return { kind: 'rejected', decision: r.value, ...(card ? { card } : {}) };
  });
  if (outcome.kind !== 'rejected') return outcome;
  await refreshCards(deps, client, found.teamId, number, { channel: input.at.channel, ts: input.at.ts });
  const note = `:x: ${who(input.user)} rejected *${adrId(number)}*. Its team can reopen it from the decision card.`;
  const { card } = outcome;
  if (card) {
    try {
      await client.chat.update({ channel: card.channel, ts: card.ts, text: note, blocks: [section(note)] });
    } catch (err) {
      deps.logger.warn(`mesh-help: retiring the card of a rejected record failed: ${slackError(err)}`);
    }
    await schedule(deps, client, planFor(found.teamId, card.session, card, { root: true }));
  }
  await noteInThread(deps, client, outcome.decision, note, 'rejection');
  await announce(deps, client, found.teamId, number, { kind: 'rejected', actor: input.user });
  return outcome;
}

/** The private note after a click on Reject; nothing when it worked (the card and thread say so). */
export const rejectNotice = (outcome: RejectOutcome): Message | undefined =>
  outcome.kind === 'rejected' ? undefined : refusalNotice(outcome, 'reject');

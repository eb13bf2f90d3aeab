import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { assertTeamId, type Decision, type DecisionStatus, type TeamDoc } from '../store/index.js';
import { adrId, type DecisionError, reopen } from '../team/decisions.js';
import { findByKey } from '../team/lookup.js';
import { section, who } from './blocks/kit.js';
import type { SlackDeps } from './context.js';
import { type Plan, planFor } from './effects.js';
import { isPending, schedule, slackError } from './interview.js';
import type { MessageRef } from './payloads.js';
import { announce, refreshCards } from './status-changes.js';

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
  const decision = findByKey(doc.decisions, (d) => d.number === ref.number);
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

/** Why a life-cycle action was refused; it wrote nothing. */
export type RecordRefusal = { kind: 'not-found' } | { kind: 'foreign-team' } | { kind: 'refused'; message: string };

/** A life-cycle error as the refusal a person is told; `notFrom` words the status rule that was broken. */
export function refusalOf(error: DecisionError, notFrom: (from: DecisionStatus) => string): RecordRefusal {
  return match(error)
    .with({ kind: 'other-team' }, (): RecordRefusal => ({ kind: 'foreign-team' }))
    .with({ kind: 'not-found' }, (): RecordRefusal => ({ kind: 'not-found' }))
    .with({ kind: 'override-needs-reason' }, (): RecordRefusal => ({ kind: 'refused', message: 'Not possible.' }))
    .with({ kind: 'bad-transition' }, (e): RecordRefusal => ({ kind: 'refused', message: notFrom(e.from) }))
    .exhaustive();
}

export type ReopenOutcome = RecordRefusal | { kind: 'reopened'; decision: Decision; plan?: Plan | undefined };

/**
 * Puts an accepted record back to `proposed`, only for someone of its team.
 * Its interview takes decisions again on the same recommendation card, and
 * accepting there accepts this same record (its number is kept).
 */
export async function reopenFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: RecordActionInput,
): Promise<ReopenOutcome> {
  const found = await findRecord(deps, input.candidates, input.ref);
  if (!found) return { kind: 'not-found' };
  // Checked before any write, so a refused person leaves the team's file untouched.
  if (input.userTeam !== found.teamId) return { kind: 'foreign-team' };
  const number = found.decision.number;
  const outcome = await deps.store.update(found.teamId, (doc): ReopenOutcome => {
    const now = deps.now();
    const reopened = reopen(doc, number, { by: input.user, teamId: input.userTeam ?? '' }, now, 'reopened from Slack');
    if (!reopened.ok) {
      return refusalOf(reopened.error, (from) =>
        from === 'superseded'
          ? `${adrId(number)} is superseded; start a revisit of its successor instead.`
          : `${adrId(number)} is ${from} and cannot be reopened.`,
      );
    }
    const s = findByKey(doc.sessions, (x) => x.id === reopened.value.sessionId && x.decisionNumber === number);
    if (s?.status !== 'decided' || !s.channel || !s.threadTs) return { kind: 'reopened', decision: reopened.value };
    s.status = 'complete';
    s.version += 1;
    s.updatedAt = now.toISOString();
    const card = s.cardTs && !isPending(s.cardTs) ? s.cardTs : undefined;
    return {
      kind: 'reopened',
      decision: reopened.value,
      plan: planFor(
        found.teamId,
        s.id,
        { channel: s.channel, threadTs: s.threadTs },
        {
          ...(card ? { refreshCard: card } : {}),
          root: true,
        },
      ),
    };
  });
  if (outcome.kind !== 'reopened') return outcome;
  if (outcome.plan) await schedule(deps, client, outcome.plan);
  // Every posted copy of the card shows the new status, not only the one clicked.
  await refreshCards(deps, client, found.teamId, number, { channel: input.at.channel, ts: input.at.ts });
  await announce(deps, client, found.teamId, number, { kind: 'reopened', actor: input.user });
  const note = `:leftwards_arrow_with_hook: ${who(input.user)} reopened *${adrId(number)}*. It is proposed again: the recommendation card in this thread takes decisions again.`;
  const tries: [string, () => Promise<unknown>][] = [];
  const { channel, threadTs } = outcome.decision;
  if (channel && threadTs) {
    tries.push([
      'noting the reopen',
      () => client.chat.postMessage({ channel, thread_ts: threadTs, text: note, blocks: [section(note)] }),
    ]);
  }
  for (const [what, call] of tries) {
    try {
      await call();
    } catch (err) {
      deps.logger.warn(`mesh-help: ${what} failed: ${slackError(err)}`);
    }
  }
  return outcome;
}

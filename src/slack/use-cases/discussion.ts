import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { type Decision, decisionByNumber, type Session, type TeamDoc } from '../../store/index.js';
import { captureReply, deleteReply, editReply, firstDelivery, sessionForThread } from '../../team/discussion.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { type Located, locate, mayChange } from './interview.js';

/** Slack sends `&`, `<` and `>` as entities; the record keeps what the person typed and escapes it when shown. */
export { unescapeSlack } from '../escape.js';

/** A message ts (seconds since the epoch) as an ISO time. */
export const tsToIso = (ts: string): string => new Date(Math.round(Number(ts) * 1000)).toISOString();

/** What changed in a thread, as read from one Events API delivery. */
export type ThreadChange =
  | { kind: 'posted'; ts: string; user: string; text: string }
  | { kind: 'edited'; ts: string; text: string; at: string }
  | { kind: 'deleted'; ts: string };

export type ThreadEvent = {
  eventId: string;
  candidates: (string | undefined)[];
  channel: string;
  threadTs: string;
  change: ThreadChange;
};

export type CaptureOutcome = 'not-ours' | 'retry' | 'changed' | 'unchanged';

/** The session of a thread and the decision it became, from a document. */
export function discussionOf(doc: TeamDoc, session: Session): { session: Session; decision?: Decision } {
  const decision = session.decisionNumber ? decisionByNumber(doc, session.decisionNumber) : undefined;
  return decision ? { session, decision } : { session };
}

/**
 * Reflects a human message of a bot-started thread in the store. The event id
 * is remembered in the same update, so a retried delivery changes nothing.
 */
export async function captureFromSlack(deps: SlackDeps, client: WebClient, ev: ThreadEvent): Promise<CaptureOutcome> {
  const found = await locate(deps, ev.candidates, ev.channel, ev.threadTs);
  if (!found) return 'not-ours';
  // A retry seen already needs no permalink either; the update below decides for sure.
  if ((await deps.store.read(found.teamId)).seenEvents.includes(ev.eventId)) return 'retry';
  const change = ev.change;
  const permalink =
    change.kind === 'posted'
      ? await client.chat
          .getPermalink({ channel: ev.channel, message_ts: change.ts })
          .then((r) => r.permalink)
          .catch(() => undefined)
      : undefined;
  // Scoped to the thread's session (and its record): a reply costs that thread, not the team.
  return deps.store.update(
    found.teamId,
    (doc): CaptureOutcome => {
      if (!firstDelivery(doc, ev.eventId)) return 'retry';
      const session = sessionForThread(doc, ev.channel, ev.threadTs);
      if (!session) return 'not-ours';
      const changed = match(change)
        .with({ kind: 'posted' }, (c) =>
          captureReply(doc, session, {
            ts: c.ts,
            user: c.user,
            text: c.text,
            at: tsToIso(c.ts),
            ...(permalink ? { permalink } : {}),
          }),
        )
        .with({ kind: 'edited' }, (c) => editReply(doc, session, c.ts, c.text, c.at))
        .with({ kind: 'deleted' }, (c) => deleteReply(doc, session, c.ts))
        .exhaustive();
      return changed ? 'changed' : 'unchanged';
    },
    { session: found.session.id },
  );
}

/** Remembers an event id in the team's document; false when it was delivered before. */
export function firstTime(deps: SlackDeps, teamId: string, eventId: string): Promise<boolean> {
  return deps.store.update(teamId, (doc) => firstDelivery(doc, eventId), {});
}

/** Where a concern button was clicked: the card's thread, and the card itself. */
export type ConcernTarget = { channel: string; threadTs: string; cardTs: string };

export type ConcernOutcome =
  | { kind: 'not-found' }
  | { kind: 'foreign-team' }
  | { kind: 'already-resolved' }
  | { kind: 'raised' }
  | { kind: 'resolved' };

/** The session of a card's thread, if the person may change it. */
export async function concernHolder(
  deps: SlackDeps,
  candidates: (string | undefined)[],
  at: ConcernTarget,
  userTeam: string | undefined,
): Promise<{ found: Located } | { refused: ConcernOutcome }> {
  const found = await locate(deps, candidates, at.channel, at.threadTs);
  if (!found) return { refused: { kind: 'not-found' } };
  if (!mayChange(found.session, userTeam)) return { refused: { kind: 'foreign-team' } };
  return { found };
}

type ConcernInput = {
  candidates: (string | undefined)[];
  at: ConcernTarget;
  user: string;
  userTeam: string | undefined;
};

/** Stores a concern on the thread's session, or on its decision once decided, and shows it on the card. */
export async function raiseConcernFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: ConcernInput & { userName?: string | undefined; text: string },
): Promise<ConcernOutcome> {
  const checked = await concernHolder(deps, input.candidates, input.at, input.userTeam);
  if ('refused' in checked) return checked.refused;
  return dispatch(deps, client, checked.found.teamId, {
    type: 'raise-concern',
    sessionId: checked.found.session.id,
    id: randomUUID().slice(0, 8),
    by: input.user,
    byName: input.userName,
    text: input.text,
  });
}

/** Marks an open concern resolved by this person and takes it off the card. */
export async function resolveConcernFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: ConcernInput & { id: string },
): Promise<ConcernOutcome> {
  const checked = await concernHolder(deps, input.candidates, input.at, input.userTeam);
  if ('refused' in checked) return checked.refused;
  return dispatch(deps, client, checked.found.teamId, {
    type: 'resolve-concern',
    sessionId: checked.found.session.id,
    id: input.id,
    by: input.user,
  });
}

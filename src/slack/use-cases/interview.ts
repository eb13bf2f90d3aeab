import type { WebClient } from '@slack/web-api';
import type {
  AcceptOutcome,
  AnswerOutcome as MachineAnswerOutcome,
  AskAgainOutcome as MachineAskAgainOutcome,
  StartOutcome,
} from '../../domain/machine/events.js';
import { cardRefusal } from '../../domain/machine/step.js';
import { DEFAULT_TITLE } from '../../domain/presentation.js';
import type { AnswerValue } from '../../engine/flow.js';
import { assertTeamId, type Session, StoreError, sessionOfThread } from '../../store/index.js';
import type { ReplyInput } from '../../team/discussion.js';
import { rootMessage } from '../blocks/root.js';
import { clip } from '../escape.js';
import type { MessageRef } from '../payloads.js';
import { claimMetadata, postedClaim, requestRef } from '../runtime/claims.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { slackError } from '../runtime/failures.js';
import { isPrivateConversation } from '../runtime/visibility.js';

export { DEFAULT_TITLE };
export const TITLE_MAX = 150;

/** A session found from a Slack message, with the team that owns it. */
export type Located = { teamId: string; session: Session };

/**
 * Finds the session a message belongs to by channel and thread, looking in the
 * candidate teams' own data only (ids in a payload are never trusted alone).
 */
export async function locate(
  deps: SlackDeps,
  candidates: (string | undefined)[],
  channel: string,
  threadTs: string,
): Promise<Located | undefined> {
  const teams = [...new Set(candidates.filter((t): t is string => typeof t === 'string'))];
  for (const teamId of teams) {
    try {
      assertTeamId(teamId);
    } catch {
      continue;
    }
    const doc = await deps.store.read(teamId);
    const session = sessionOfThread(doc, channel, threadTs);
    if (session && session.teamId === teamId) return { teamId, session };
  }
  return undefined;
}

/** Only people of the owning team change its data; others (Slack Connect) may read. */
export const mayChange = (session: Session, userTeamId: string | undefined): boolean =>
  userTeamId !== undefined && userTeamId === session.teamId;

export type StartInput = {
  teamId: string;
  channel: string;
  user: string;
  title: string;
  /** The number of an accepted record this interview revisits; accepting it supersedes that record. */
  revisits?: number | undefined;
  /** With `revisits`: start with the revisited record's answers filled in. */
  prefill?: boolean | undefined;
  /** Cluster or environment tags the decision will cover (parsed). */
  scope?: string[] | undefined;
  /**
   * An existing conversation to run the interview in (the message shortcut):
   * the bot's opening message becomes a reply there, and the thread's earlier
   * messages are kept as the discussion.
   */
  thread?: { ts: string; replies: ReplyInput[] } | undefined;
  /** The request's identity (Slack's trigger_id): a replay of the same request after a crash starts nothing twice. */
  request?: string | undefined;
};
export type StartResult =
  | { kind: 'started'; session: Session }
  | { kind: 'cannot-post'; error: string }
  /** Refused by the state machine: not a revisitable record, or the channel's or team's open limit reached. */
  | Exclude<StartOutcome, { kind: 'reserved' } | { kind: 'replayed' }>;

/**
 * Starts an interview: reserves its place within the team's limits (one
 * store write, so two starts cannot both take the last place), posts the root
 * message, keys the session by that thread, then asks the first question.
 * A root post that fails gives the place back; a store write that fails after
 * the root post removes the root message again, so no thread is left without
 * an interview behind it. The session remembers the request that started it:
 * the same request processed again (replayed after a crash) finds it and
 * only posts what the crash cut off, never a second root or first question.
 */
export async function startInterview(deps: SlackDeps, client: WebClient, input: StartInput): Promise<StartResult> {
  assertTeamId(input.teamId);
  const title = clip(input.title.replace(/\s+/g, ' ').trim() || DEFAULT_TITLE, TITLE_MAX);
  const request = requestRef(input.request);
  const privateTo = (await isPrivateConversation(deps, client, input.channel)) ? input.channel : undefined;
  const reserved = await dispatch(deps, client, input.teamId, {
    type: 'start',
    id: deps.newId(),
    channel: input.channel,
    user: input.user,
    title,
    revisits: input.revisits,
    prefill: input.prefill,
    scope: input.scope,
    privateTo,
    request,
  });
  if (reserved.kind === 'replayed') return { kind: 'started', session: reserved.session };
  if (reserved.kind !== 'reserved') return reserved;
  const { id } = reserved;
  const release = () =>
    dispatch(deps, client, input.teamId, { type: 'root-failed', sessionId: id }).catch((err: unknown) => {
      // The reservation expires by itself (CLAIM_TTL_MS in src/domain/claims.ts); the log has why it stayed.
      deps.logger.warn(`mesh-help: could not release a start reservation: ${(err as Error).message}`);
    });
  let threadTs: string;
  let rootTs: string;
  try {
    // A replay after a crash looks for the root it may have posted before posting one.
    const found = reserved.recover
      ? await postedClaim(client, input.channel, input.thread?.ts, reserved.claim)
      : undefined;
    const posted =
      found ??
      (
        await client.chat.postMessage({
          channel: input.channel,
          ...(input.thread ? { thread_ts: input.thread.ts } : {}),
          ...rootMessage(deps.flow, reserved.session),
          ...claimMetadata(reserved.claim),
        })
      ).ts;
    if (!posted) throw Object.assign(new Error('no ts'), { code: 'no_ts' });
    threadTs = input.thread?.ts ?? posted;
    rootTs = posted;
  } catch (err) {
    await release();
    return { kind: 'cannot-post', error: slackError(err) };
  }
  try {
    const started = await dispatch(deps, client, input.teamId, {
      type: 'root-posted',
      sessionId: id,
      threadTs,
      rootTs,
      replies: input.thread?.replies ?? [],
      request,
    });
    if (started.kind === 'vanished')
      throw new StoreError('write_failed', `the reservation of interview ${id} vanished`);
    return { kind: 'started', session: started.session };
  } catch (err) {
    // Nothing stored holds this thread: take the bot's opening message back (never a person's message the
    // shortcut started from), so nobody answers into the void.
    await client.chat.delete({ channel: input.channel, ts: rootTs }).catch((e: unknown) => {
      deps.logger.warn(
        `mesh-help: could not remove the root message ${rootTs} of an unsaved interview: ${slackError(e)}`,
      );
    });
    await release();
    throw err;
  }
}

export type AnswerInput = {
  at: MessageRef;
  question: string;
  value: AnswerValue;
  /** The answer revision the clicked message showed. */
  seenRev: number;
  user: string;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
  /** The click's identity (Slack's trigger_id): its replay after a crash posts what the crash cut off. */
  request?: string | undefined;
};

/** What came of a click on a question; everything but `answered` and `resumed` changed nothing. */
export type AnswerOutcome = { kind: 'foreign-team'; owner: string } | MachineAnswerOutcome;

/**
 * Records an answer from a question message. Inside one serialised store
 * update it checks the message, the answer revision the person saw and the
 * session version, applies the answer, and claims whichever message must be
 * posted next, so that only this request posts it.
 */
export async function answerFromSlack(deps: SlackDeps, client: WebClient, input: AnswerInput): Promise<AnswerOutcome> {
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  if (!found) return { kind: 'not-found' };
  if (!mayChange(found.session, input.userTeam)) return { kind: 'foreign-team', owner: found.teamId };
  return dispatch(deps, client, found.teamId, {
    type: 'answer',
    sessionId: found.session.id,
    at: input.at,
    question: input.question,
    value: input.value,
    seenRev: input.seenRev,
    by: input.user,
    request: requestRef(input.request),
  });
}

export type AskAgainInput = {
  at: MessageRef;
  question: string;
  user: string;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
};

/** What came of "Change an answer"; everything but `opened` changed nothing. */
export type AskAgainOutcome = { kind: 'foreign-team'; owner: string } | MachineAskAgainOutcome;

/** Opens an answered question again in the interview message, for anyone of the team to answer anew. */
export async function askAgainFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: AskAgainInput,
): Promise<AskAgainOutcome> {
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  if (!found) return { kind: 'not-found' };
  if (!mayChange(found.session, input.userTeam)) return { kind: 'foreign-team', owner: found.teamId };
  return dispatch(deps, client, found.teamId, {
    type: 'ask-again',
    sessionId: found.session.id,
    at: input.at,
    question: input.question,
    by: input.user,
  });
}

export type DecideInput = {
  at: MessageRef;
  user: string;
  userName?: string | undefined;
  userTeam: string | undefined;
  candidates: (string | undefined)[];
  /** Undefined: accept the recommendation as it is. */
  override?: { chosen: string[]; reason: string };
  /** Fetched only once the checks pass: a link to the thread for the record. */
  permalink?: () => Promise<string | undefined>;
};

export type DecideOutcome = { kind: 'foreign-team'; owner: string } | AcceptOutcome;

/** Checks that a recommendation card can still take a decision from this person (no change made). */
export function checkCard(
  found: Located | undefined,
  at: MessageRef,
  userTeam: string | undefined,
): DecideOutcome | undefined {
  if (!found) return { kind: 'not-found' };
  if (!mayChange(found.session, userTeam)) return { kind: 'foreign-team', owner: found.teamId };
  return cardRefusal(found.session, at);
}

/** Records the team's decision from a recommendation card: the recommendation itself, or an override with its reason. */
export async function decideFromSlack(deps: SlackDeps, client: WebClient, input: DecideInput): Promise<DecideOutcome> {
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  const refused = checkCard(found, input.at, input.userTeam);
  if (refused || !found) return refused ?? { kind: 'not-found' };
  const permalink = await input.permalink?.().catch(() => undefined);
  return dispatch(deps, client, found.teamId, {
    type: 'accept',
    sessionId: found.session.id,
    at: input.at,
    by: input.user,
    byName: input.userName,
    override: input.override,
    permalink,
  });
}

import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { askedQuestions, nextQuestion } from '../engine/answers.js';
import type { AnswerValue, Flow } from '../engine/flow.js';
import { assertTeamId, type Decision, type Session, StoreError, type TeamDoc } from '../store/index.js';
import { adrId } from '../team/decisions.js';
import { captureReply, type ReplyInput } from '../team/discussion.js';
import { findByKey } from '../team/lookup.js';
import { answerSession, startSession } from '../team/sessions.js';
import { visibleIn } from '../team/visibility.js';
import { acceptSession, approvalsMissing } from './accept.js';
import { rootMessage } from './blocks/root.js';
import { claimable, claimMetadata, claimOf, isPending, leftBy, postedClaim } from './claims.js';
import type { SlackDeps } from './context.js';
import { type Plan, planFor, runPlan } from './effects.js';
import { clip } from './escape.js';
import { slackError } from './failures.js';
import { openLimitReached } from './limits.js';
import type { MessageRef } from './payloads.js';
import { isPrivateConversation } from './visibility.js';

export { isPending };

export const DEFAULT_TITLE = 'Service mesh, cluster mesh or federation?';
export const TITLE_MAX = 150;

/** A session found from a Slack message, with the team that owns it. */
export type Located = { teamId: string; session: Session };

const sameThread = (s: Session, channel: string, threadTs: string) => s.channel === channel && s.threadTs === threadTs;

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
    const session = findByKey(doc.sessions, (s) => sameThread(s, channel, threadTs));
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
  | { kind: 'cannot-revisit'; number: number; status?: Decision['status'] | undefined }
  /** This channel already has as many open interviews as the team allows: offer to resume the latest. */
  | { kind: 'already-open'; session: Session }
  | { kind: 'too-many-open'; limit: number };

/**
 * Why a record cannot be revisited (undefined: it can): it must exist, be the
 * team's accepted decision, and be visible where the revisit starts (a record
 * private to another conversation is as good as absent there).
 */
export function revisitRefusal(doc: TeamDoc, number: number, channel?: string): StartResult | undefined {
  const found = findByKey(doc.decisions, (d) => d.number === number);
  const old = found && (channel === undefined || visibleIn(found, channel)) ? found : undefined;
  return old?.status === 'accepted' ? undefined : { kind: 'cannot-revisit', number, status: old?.status };
}

/** Reservations whose poster crashed before the root message was posted: they hold no thread and free their place. */
function dropStaleReservations(doc: TeamDoc, now: Date): void {
  const stale = doc.sessions.filter((s) => isPending(s.threadTs) && claimable(s.threadTs, now));
  if (stale.length) doc.sessions = doc.sessions.filter((s) => !stale.includes(s));
}

/** What the reservation step found: a place to post the root in, or this very request's interview already there. */
type Reservation =
  | { kind: 'reserved'; id: string; claim: string; recover: boolean }
  | { kind: 'replayed'; session: Session; plan?: Plan | undefined };

/**
 * A start that is a replay of an earlier one (same request): its interview is
 * there already. Finishes what the crash cut off: the root post (looked for in
 * the channel before posting again), or the first question.
 */
function replayedStart(deps: SlackDeps, teamId: string, mine: Session, request: string): Reservation {
  if (isPending(mine.threadTs)) {
    // Only a process that stopped leaves its own claim behind; one still running is finishing it.
    return leftBy(mine.threadTs, request) && mine.threadTs
      ? { kind: 'reserved', id: mine.id, claim: mine.threadTs, recover: true }
      : { kind: 'replayed', session: mine };
  }
  const first = deps.flow.interview.questions[0];
  const claim = first ? mine.messages[first.id] : undefined;
  if (!first || !claim || !leftBy(claim, request) || !mine.channel || !mine.threadTs) {
    return { kind: 'replayed', session: mine };
  }
  const plan = planFor(
    teamId,
    mine.id,
    { channel: mine.channel, threadTs: mine.threadTs },
    { postQuestion: { question: first.id, claim, recover: true }, actor: mine.startedBy },
  );
  return { kind: 'replayed', session: mine, plan };
}

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
  const now = deps.now();
  const { request } = input;
  const privateTo = (await isPrivateConversation(deps, client, input.channel)) ? input.channel : undefined;
  const reserved = await deps.store.update(input.teamId, (doc): StartResult | Reservation => {
    const mine = request ? findByKey(doc.sessions, (s) => s.startRequest === request) : undefined;
    if (mine && request) return replayedStart(deps, input.teamId, mine, request);
    if (input.revisits !== undefined) {
      const refused = revisitRefusal(doc, input.revisits, input.channel);
      if (refused) return refused;
    }
    dropStaleReservations(doc, now);
    const full = openLimitReached(doc, input.channel);
    if (full?.kind === 'channel-full') return { kind: 'already-open', session: full.open };
    if (full?.kind === 'team-full') return { kind: 'too-many-open', limit: full.limit };
    const id = deps.newId();
    const claim = claimOf(now, request);
    const s = startSession(doc, {
      id,
      startedBy: input.user,
      title,
      now,
      channel: input.channel,
      threadTs: claim,
      ...(input.revisits ? { revisits: input.revisits } : {}),
      ...(input.scope?.length ? { scope: input.scope } : {}),
    });
    if (privateTo) s.privateTo = privateTo;
    if (request) s.startRequest = request;
    return { kind: 'reserved', id, claim, recover: false };
  });
  if (reserved.kind === 'replayed') {
    if (reserved.plan) await schedule(deps, client, reserved.plan);
    return { kind: 'started', session: reserved.session };
  }
  if (reserved.kind !== 'reserved') return reserved;
  const { id } = reserved;
  const release = () =>
    deps.store
      .update(input.teamId, (doc) => {
        doc.sessions = doc.sessions.filter((s) => !(s.id === id && isPending(s.threadTs)));
      })
      .catch((err: unknown) => {
        // The reservation expires by itself (CLAIM_TTL_MS in claims.ts); the log has why it stayed.
        deps.logger.warn(`mesh-help: could not release a start reservation: ${(err as Error).message}`);
      });
  const draft = {
    title,
    startedBy: input.user,
    status: 'open' as const,
    answers: {},
    ...(input.revisits ? { revisits: input.revisits } : {}),
  };
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
          ...rootMessage(deps.flow, draft),
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
  const first = deps.flow.interview.questions[0];
  let started: { session: Session; claim: string };
  try {
    started = await deps.store.update(input.teamId, (doc) => {
      const s = findByKey(doc.sessions, (x) => x.id === id);
      if (!s) throw new StoreError('write_failed', `the reservation of interview ${id} vanished`);
      s.threadTs = threadTs;
      if (rootTs !== threadTs) s.rootTs = rootTs;
      for (const reply of input.thread?.replies ?? []) captureReply(doc, s, reply);
      const c = claimOf(deps.now(), request);
      if (first) s.messages[first.id] = c;
      return { session: s, claim: c };
    });
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
  const { session, claim } = started;
  await schedule(
    deps,
    client,
    planFor(
      input.teamId,
      session.id,
      { channel: input.channel, threadTs },
      {
        ...(first ? { postQuestion: { question: first.id, claim } } : {}),
        actor: input.user,
      },
    ),
  );
  return { kind: 'started', session };
}

/** The Slack error code of a failed Web API call, for logs and people (its home is failures.ts). */
export { slackError };

/** Runs a plan's Slack calls after the calls already queued for the same session. */
export function schedule(deps: SlackDeps, client: WebClient, plan: Plan): Promise<void> {
  return deps.effects.run(`${plan.teamId}/${plan.sessionId}`, () => runPlan(deps, client, plan));
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

/** What came of a click on a question; everything but `answered` changed nothing. */
export type AnswerOutcome =
  | { kind: 'not-found' }
  | { kind: 'foreign-team'; owner: string }
  | { kind: 'closed'; status: Session['status']; decisionNumber?: number | undefined }
  | { kind: 'not-current' }
  | { kind: 'not-applicable' }
  | { kind: 'unchanged' }
  | { kind: 'resumed'; plan: Plan }
  | { kind: 'stale'; by?: string | undefined; value?: AnswerValue | undefined }
  | { kind: 'bad-answer'; message: string }
  | { kind: 'answered'; plan: Plan };

const sameAnswer = (a: AnswerValue | undefined, b: AnswerValue): boolean =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

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
  const { flow } = deps;
  const outcome = await deps.store.update(found.teamId, (doc): AnswerOutcome => {
    const s = findByKey(
      doc.sessions,
      (x) => x.id === found.session.id && sameThread(x, input.at.channel, input.at.threadTs),
    );
    if (!s) return { kind: 'not-found' };
    if (s.status === 'decided' || s.status === 'abandoned') {
      return { kind: 'closed', status: s.status, decisionNumber: s.decisionNumber };
    }
    if (s.messages[input.question] !== input.at.ts) return { kind: 'not-current' };
    if (!askedQuestions(flow, s.answers).some((q) => q.id === input.question)) return { kind: 'not-applicable' };
    const current = s.answers[input.question];
    const normalised = Array.isArray(input.value) ? [...input.value].sort() : input.value;
    const currentNormalised = Array.isArray(current) ? [...current].sort() : current;
    if (sameAnswer(currentNormalised, normalised)) {
      // A repeat click changes nothing, but posts what an earlier failure left unposted.
      const plan = resumePlan(flow, s, {
        teamId: found.teamId,
        at: input.at,
        actor: input.user,
        now: deps.now(),
        request: input.request,
      });
      return plan ? { kind: 'resumed', plan } : { kind: 'unchanged' };
    }
    if ((s.answerRevs?.[input.question] ?? 0) !== input.seenRev) {
      return { kind: 'stale', by: s.answeredBy[input.question]?.by, value: current };
    }
    const wasComplete = s.status === 'complete';
    const applied = answerSession(flow, doc, s.id, {
      question: input.question,
      value: input.value,
      by: input.user,
      now: deps.now(),
      expectedVersion: s.version,
    });
    if (!applied.ok) {
      return match(applied.error)
        .with({ kind: 'bad-answer' }, (e): AnswerOutcome => ({ kind: 'bad-answer', message: e.error.message }))
        .with({ kind: 'closed' }, (e): AnswerOutcome => ({ kind: 'closed', status: e.status }))
        .with({ kind: 'not-found' }, (): AnswerOutcome => ({ kind: 'not-found' }))
        .with({ kind: 'stale' }, (): AnswerOutcome => ({ kind: 'stale' }))
        .exhaustive();
    }
    const now = deps.now();
    const plan = planFor(found.teamId, s.id, input.at, { refresh: [input.question], root: true, actor: input.user });
    // Questions that no longer apply lose their message slot; a pending one is handled by its poster.
    const applicable = new Set(askedQuestions(flow, s.answers).map((q) => q.id));
    for (const [q, ts] of Object.entries(s.messages)) {
      if (applicable.has(q)) continue;
      if (!isPending(ts)) plan.retire.push({ question: q, ts });
      delete s.messages[q];
    }
    const next = nextQuestion(flow, s.answers);
    if (next && claimable(s.messages[next.id], now)) {
      const claim = claimOf(now, input.request);
      s.messages[next.id] = claim;
      plan.postQuestion = { question: next.id, claim };
    }
    const oldCard = s.cardTs && !isPending(s.cardTs) ? s.cardTs : undefined;
    // Approvals were given to the recommendation as it was; a changed answer asks for them again.
    if (s.approvals.length) s.approvals = [];
    if (s.status === 'complete') {
      // A new or changed recommendation gets a new card; the old one stops taking decisions.
      const claim = claimOf(now, input.request);
      s.cardTs = claim;
      plan.postCard = { claim };
      if (oldCard) plan.retireCard = oldCard;
    } else if (wasComplete || s.cardTs) {
      delete s.cardTs;
      if (oldCard) plan.retireCard = oldCard;
    }
    return { kind: 'answered', plan };
  });
  if (outcome.kind === 'answered' || outcome.kind === 'resumed') await schedule(deps, client, outcome.plan);
  return outcome;
}

/**
 * Claims the next question or the card when nothing holds its slot (a post
 * failed), inside a store update; or, when the claim on it is one `request`
 * made in a process that has since stopped (a replay after a crash), takes
 * that claim back to finish the post it began.
 */
export function resumePlan(
  flow: Flow,
  s: Session,
  input: { teamId: string; at: MessageRef; actor: string; now: Date; request?: string | undefined },
): Plan | undefined {
  const plan = planFor(input.teamId, s.id, input.at, { actor: input.actor });
  const next = nextQuestion(flow, s.answers);
  const held = next ? s.messages[next.id] : undefined;
  if (next && held && leftBy(held, input.request)) {
    plan.postQuestion = { question: next.id, claim: held, recover: true };
    return plan;
  }
  if (next && claimable(held, input.now)) {
    const claim = claimOf(input.now, input.request);
    s.messages[next.id] = claim;
    plan.postQuestion = { question: next.id, claim };
    return plan;
  }
  if (!next && s.status === 'complete' && s.cardTs && leftBy(s.cardTs, input.request)) {
    plan.postCard = { claim: s.cardTs, recover: true };
    return plan;
  }
  if (!next && s.status === 'complete' && claimable(s.cardTs, input.now)) {
    const claim = claimOf(input.now, input.request);
    s.cardTs = claim;
    plan.postCard = { claim };
    return plan;
  }
  return undefined;
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

export type DecideOutcome =
  | { kind: 'not-found' }
  | { kind: 'foreign-team'; owner: string }
  | { kind: 'already-decided'; decisionNumber?: number | undefined }
  | { kind: 'not-current' }
  | { kind: 'not-ready' }
  | { kind: 'refused'; message: string }
  | { kind: 'needs-approvals'; have: number; need: number }
  | { kind: 'decided'; decision: Decision; plan: Plan };

/** Checks that a recommendation card can still take a decision from this person (no change made). */
export function checkCard(
  found: Located | undefined,
  at: MessageRef,
  userTeam: string | undefined,
): DecideOutcome | undefined {
  if (!found) return { kind: 'not-found' };
  const s = found.session;
  if (!mayChange(s, userTeam)) return { kind: 'foreign-team', owner: found.teamId };
  if (s.status === 'decided') return { kind: 'already-decided', decisionNumber: s.decisionNumber };
  if (s.status === 'abandoned' && s.expiredReason)
    return { kind: 'refused', message: `This recommendation expired at its deadline: ${s.expiredReason}` };
  if (s.status !== 'complete' || !s.recommendation) return { kind: 'not-ready' };
  if (s.cardTs !== at.ts) return { kind: 'not-current' };
  return undefined;
}

/** Records the team's decision from a recommendation card: the recommendation itself, or an override with its reason. */
export async function decideFromSlack(deps: SlackDeps, client: WebClient, input: DecideInput): Promise<DecideOutcome> {
  const found = await locate(deps, input.candidates, input.at.channel, input.at.threadTs);
  const refused = checkCard(found, input.at, input.userTeam);
  if (refused || !found) return refused ?? { kind: 'not-found' };
  const permalink = await input.permalink?.().catch(() => undefined);
  const outcome = await deps.store.update(found.teamId, (doc: TeamDoc): DecideOutcome => {
    const s = findByKey(doc.sessions, (x) => x.id === found.session.id);
    const again = checkCard(s ? { teamId: found.teamId, session: s } : undefined, input.at, input.userTeam);
    if (again || !s?.recommendation) return again ?? { kind: 'not-ready' };
    const missing = approvalsMissing(doc, s);
    if (missing) return missing;
    const now = deps.now();
    const recorded = acceptSession(doc, s, {
      by: input.user,
      byName: input.userName,
      now,
      channel: input.at.channel,
      threadTs: input.at.threadTs,
      override: input.override,
    });
    if (!recorded.ok) {
      return {
        kind: 'refused',
        message: match(recorded.error)
          .with({ kind: 'override-needs-reason' }, () => 'A different choice needs a one-line reason.')
          .with({ kind: 'not-found' }, (e) => `${adrId(e.number)} does not exist any more.`)
          .with({ kind: 'bad-transition' }, (e) => `A decision cannot move from ${e.from} to ${e.to}.`)
          .with({ kind: 'other-team' }, () => 'Only the team that owns this interview can decide it.')
          .exhaustive(),
      };
    }
    const decision = recorded.value;
    if (permalink) decision.permalink = permalink;
    s.status = 'decided';
    s.decisionNumber = decision.number;
    s.version += 1;
    s.updatedAt = now.toISOString();
    return {
      kind: 'decided',
      decision,
      plan: planFor(found.teamId, s.id, input.at, {
        refreshCard: input.at.ts,
        root: true,
        postDecisionCard: decision.number,
      }),
    };
  });
  if (outcome.kind === 'decided') await schedule(deps, client, outcome.plan);
  return outcome;
}

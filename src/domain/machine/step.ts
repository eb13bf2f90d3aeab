import { Immer } from 'immer';
import { match, P } from 'ts-pattern';
import { askedQuestions, nextQuestion } from '../../engine/answers.js';
import { checklistState } from '../../engine/checklist.js';
import type { AnswerValue, Flow } from '../../engine/flow.js';
import {
  raiseConcern as addConcern,
  approve,
  captureReply,
  checklistHolder,
  checklistRecommendation,
  checklistTsOf,
  resolveConcern as closeConcern,
  holderOf,
  openConcerns,
} from '../../team/discussion.js';
import { stampRules } from '../../team/governance.js';
import { findByKey, plainList } from '../../team/lookup.js';
import { visibleIn } from '../../team/visibility.js';
import { claimable, claimOf, isPending, leftBy, type RequestRef } from '../claims.js';
import { abandonAfterDays, isIdle, isOpen, openLimitReached } from '../limits.js';
import type { Decision, Session } from '../model.js';
import { count, pick } from '../plural.js';
import { DEFAULT_TITLE, decisionTitle } from '../presentation.js';
import type { TeamDoc } from '../team.js';
import { undraft } from '../undraft.js';
import { acceptSession, approvalsMissing, approvers } from './accept.js';
import { acknowledgeDrift, driftDue, stampBases } from './drift.js';
import type { Effect, Thread } from './effects.js';
import type {
  AcceptOutcome,
  AnswerOutcome,
  ApproveOutcome,
  At,
  CardRefusal,
  ConcernOutcome,
  DeadlineOutcome,
  Event,
  OutcomeOf,
  Outcomes,
  RecordOutcome,
  RecordRefusal,
  ResumeOutcome,
  StartOutcome,
  TickOutcome,
  Via,
} from './events.js';
import { adrId, type DecisionError, recordDecision, reopen, supersede, transition } from './record.js';
import { answerSession, startSession } from './session.js';

/**
 * The interview's state machine. Every change of a session's or a record's
 * status happens here and nowhere else (test/domain/machine/ownership.test.ts
 * checks the sources): Slack listeners and the terminal turn what happened
 * into an `Event` and call `advance` inside one store update; `step` is the
 * same transition as a pure function over a frozen state, for tests and tools.
 */

/**
 * What a step leaves to the outside world: the effects, in order, and the
 * interview they belong to (a record's own, or `adr-N` for a record made
 * without one), so effects of one interview never overtake each other.
 */
export type Advanced<E extends Event> = { effects: Effect[]; interview: string | undefined; outcome: OutcomeOf<E> };

export type Step<E extends Event> = Advanced<E> & { state: TeamDoc };

const immer = new Immer({ autoFreeze: true });

/** The pure form: the next state (the input is untouched), the effects to run and the outcome to report. */
export function step<E extends Event>(flow: Flow, state: TeamDoc, event: E, now: Date): Step<E> {
  let result: Advanced<E> | undefined;
  const next = immer.produce(state, (draft) => {
    result = undraft(advance(flow, draft as TeamDoc, event, now));
  });
  if (!result) throw new Error('the state machine returned nothing');
  return { state: next, ...result };
}

/**
 * The one interview an event reads and changes, for the events that touch
 * nothing else (the clicks inside a thread): the store runs their step on that
 * session and the record it became alone, so a click costs the same in a team
 * of ten interviews or ten thousand. Undefined for every other event.
 */
export function scopeOf(event: Event): { session: string } | undefined {
  return match(event)
    .with(
      {
        type: P.union('root-posted', 'answer', 'ask-again', 'raise-concern', 'resolve-concern', 'tick', 'set-deadline'),
      },
      (e) => ({ session: e.sessionId }),
    )
    .otherwise(() => undefined);
}

/**
 * The same transition on a draft of the team's document: what a store
 * update runs, so the change and its checks are one atomic write.
 */
export function advance<E extends Event>(flow: Flow, doc: TeamDoc, event: E, now: Date): Advanced<E> {
  const fx: Effect[] = [];
  const outcome = match(event as Event)
    .with({ type: 'start' }, (e) => start(flow, doc, e, now, fx))
    .with({ type: 'root-posted' }, (e) => rootPosted(doc, e, now, fx))
    .with({ type: 'root-failed' }, (e) => rootFailed(doc, e))
    .with({ type: 'answer' }, (e) => answer(flow, doc, e, now, fx))
    .with({ type: 'ask-again' }, (e) => askAgain(flow, doc, e, now, fx))
    .with({ type: 'resume' }, (e) => resume(flow, doc, e, now, fx))
    .with({ type: 'accept' }, (e) => titled(flow, doc, accept(doc, e, now, fx)))
    .with({ type: 'approve' }, (e) => approveCard(doc, e, now, fx))
    .with({ type: 'raise-concern' }, (e) => raiseConcern(doc, e, now, fx))
    .with({ type: 'resolve-concern' }, (e) => resolveConcern(doc, e, now, fx))
    .with({ type: 'tick' }, (e) => tick(doc, e, now, fx))
    .with({ type: 'reopen' }, (e) => reopenRecord(doc, e, now, fx))
    .with({ type: 'reject' }, (e) => rejectRecord(doc, e, now, fx))
    .with({ type: 'deprecate' }, (e) => deprecateRecord(doc, e, now, fx))
    .with({ type: 'accept-record' }, (e) => acceptRecord(doc, e, now, fx))
    .with({ type: 'supersede' }, (e) => supersedeRecord(doc, e, now, fx))
    .with({ type: 'set-deadline' }, (e) => setDeadline(doc, e, now, fx))
    .with({ type: 'deadline' }, (e) => titled(flow, doc, deadline(doc, e, now, fx)))
    .with({ type: 'reminder-due' }, (e) => reminderDue(doc, e, now, fx))
    .with({ type: 'nudge-due' }, (e) => nudgeDue(doc, e, fx))
    .with({ type: 'drift-due' }, (e) => driftDue(flow, doc, e, now, fx))
    .with({ type: 'acknowledge-drift' }, (e) => acknowledgeDrift(flow, doc, e, now, fx))
    .with({ type: 'abandon-idle' }, (e) => abandonIdle(doc, e, now, fx))
    .with({ type: 'record' }, (e) => recordFromTerminal(flow, doc, e, now))
    .exhaustive();
  stampBases(flow, doc, now);
  return { effects: fx, interview: interviewOfEffects(doc, fx), outcome: outcome as OutcomeOf<E> };
}

type Of<T extends Event['type']> = Extract<Event, { type: T }>;

/** The interview a step's effects belong to: the thread they touch, or the record's interview. */
function interviewOfEffects(doc: TeamDoc, fx: readonly Effect[]): string | undefined {
  for (const e of fx) {
    if ('thread' in e) return e.thread.sessionId;
    if ('number' in e) return recordOf(doc, e.number)?.sessionId ?? `adr-${e.number}`;
  }
  return undefined;
}

const sessionOf = (doc: TeamDoc, id: string) => findByKey(doc.sessions, (s) => s.id === id);
const recordOf = (doc: TeamDoc, n: number | undefined) =>
  n === undefined ? undefined : findByKey(doc.decisions, (d) => d.number === n);
const threadOf = (s: Session): Thread | undefined =>
  s.channel && s.threadTs && !isPending(s.threadTs)
    ? { sessionId: s.id, channel: s.channel, threadTs: s.threadTs }
    : undefined;
/** The posted interview message (not a claim on one). */
const postedInterview = (s: Session): string | undefined =>
  s.interviewTs && !isPending(s.interviewTs) ? s.interviewTs : undefined;
/** The interview message shows the session as it is now: re-rendered after any change it shows. */
function showInterview(s: Session, fx: Effect[]): void {
  const thread = threadOf(s);
  if (thread && postedInterview(s)) fx.push({ type: 'update-interview', thread });
}
/** A posted card (not a claim on one). */
const postedCard = (s: Session): string | undefined => (s.cardTs && !isPending(s.cardTs) ? s.cardTs : undefined);

/** Marks a change of the session: its version guards answers made on an older view. */
function touch(s: Session, now: Date): void {
  s.version += 1;
  s.updatedAt = now.toISOString();
}

// ---------------------------------------------------------------- starting

/** Reservations whose poster crashed before the root message was posted: they hold no thread and free their place. */
function dropStaleReservations(doc: TeamDoc, now: Date): void {
  const stale = new Set<string>();
  for (const s of plainList(doc.sessions)) {
    if (isPending(s.threadTs) && claimable(s.threadTs, now)) stale.add(s.id);
  }
  if (stale.size) doc.sessions = doc.sessions.filter((s) => !stale.has(s.id));
}

/**
 * Why a record cannot be revisited (undefined: it can): it must exist, be the
 * team's accepted decision, and be visible where the revisit starts (a record
 * private to another conversation is as good as absent there).
 */
function revisitRefusal(doc: TeamDoc, number: number, channel?: string): StartOutcome | undefined {
  const found = recordOf(doc, number);
  const old = found && (channel === undefined || visibleIn(found, channel)) ? found : undefined;
  return old?.status === 'accepted' ? undefined : { kind: 'cannot-revisit', number, status: old?.status };
}

function start(flow: Flow, doc: TeamDoc, e: Of<'start'>, now: Date, fx: Effect[]): StartOutcome {
  const mine = e.request ? findByKey(doc.sessions, (s) => s.startRequest === e.request?.id) : undefined;
  if (mine) return replayedStart(mine, e.request, fx);
  if (e.revisits !== undefined) {
    const refused = revisitRefusal(doc, e.revisits, e.channel);
    if (refused) return refused;
  }
  dropStaleReservations(doc, now);
  const full = openLimitReached(doc, e.channel);
  if (full?.kind === 'channel-full') return { kind: 'already-open', session: full.open };
  if (full?.kind === 'team-full') return { kind: 'too-many-open', limit: full.limit };
  const claim = claimOf(now, e.request);
  const s = startSession(doc, {
    id: e.id,
    startedBy: e.user,
    title: e.title,
    now,
    channel: e.channel,
    threadTs: claim,
    ...(e.revisits ? { revisits: e.revisits } : {}),
    ...(e.scope?.length ? { scope: e.scope } : {}),
  });
  if (e.privateTo) s.privateTo = e.privateTo;
  if (e.request) s.startRequest = e.request.id;
  if (e.prefill && e.revisits !== undefined) prefill(flow, doc, s, e.revisits, e.user, now);
  return { kind: 'reserved', id: e.id, claim, recover: false, session: s };
}

/**
 * A revisit that starts from the revisited record's answers, in interview
 * order: an answer today's interview no longer takes (a question or option
 * that went) is left out, so the interview asks it; with every answer in
 * place it opens at the recommendation.
 */
function prefill(flow: Flow, doc: TeamDoc, s: Session, number: number, by: string, now: Date): void {
  const old = recordOf(doc, number);
  if (!old) return;
  for (const q of flow.interview.questions) {
    const value = old.answers[q.id];
    // A bad answer changes nothing: the question is simply asked again.
    if (value !== undefined) answerSession(flow, doc, s.id, { question: q.id, value, by, now });
  }
}

/**
 * A start that is a replay of an earlier one (same request): its interview is
 * there already. Finishes what the crash cut off: the root post (looked for in
 * the channel before posting again), or the interview message.
 */
function replayedStart(mine: Session, request: RequestRef | undefined, fx: Effect[]): StartOutcome {
  if (isPending(mine.threadTs)) {
    // Only a process that stopped leaves its own claim behind; one still running is finishing it.
    return leftBy(mine.threadTs, request) && mine.threadTs
      ? { kind: 'reserved', id: mine.id, claim: mine.threadTs, recover: true, session: mine }
      : { kind: 'replayed', session: mine };
  }
  const claim = mine.interviewTs;
  const thread = threadOf(mine);
  if (claim && leftBy(claim, request) && thread) {
    fx.push({ type: 'post-interview', thread, claim, recover: true, actor: mine.startedBy });
  }
  return { kind: 'replayed', session: mine };
}

function rootPosted(doc: TeamDoc, e: Of<'root-posted'>, now: Date, fx: Effect[]): Outcomes['root-posted'] {
  const s = sessionOf(doc, e.sessionId);
  if (!s?.channel) return { kind: 'vanished' };
  s.threadTs = e.threadTs;
  if (e.rootTs !== e.threadTs) s.rootTs = e.rootTs;
  for (const reply of e.replies) captureReply(doc, s, reply);
  // One message carries the whole interview: posted once here, updated in place for every question after.
  const claim = claimOf(now, e.request);
  s.interviewTs = claim;
  const thread = { sessionId: s.id, channel: s.channel, threadTs: e.threadTs };
  fx.push({ type: 'post-interview', thread, claim, recover: false, actor: s.startedBy });
  // A revisit begun with every answer filled in opens at its recommendation.
  if (s.status === 'complete' && !s.cardTs) {
    s.cardTs = claimOf(now, e.request);
    fx.push({ type: 'post-card', thread, claim: s.cardTs, recover: false, actor: s.startedBy });
  }
  return { kind: 'started', session: s };
}

function rootFailed(doc: TeamDoc, e: Of<'root-failed'>): Outcomes['root-failed'] {
  const before = doc.sessions.length;
  doc.sessions = doc.sessions.filter((s) => !(s.id === e.sessionId && isPending(s.threadTs)));
  return doc.sessions.length < before ? { kind: 'released' } : { kind: 'not-found' };
}

// ---------------------------------------------------------------- answering

const sorted = (v: AnswerValue | undefined) => (Array.isArray(v) ? [...v].sort() : v);
const sameAnswer = (a: AnswerValue | undefined, b: AnswerValue): boolean =>
  a !== undefined && JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** The interview message, or a question message of an interview begun before there was one. */
const isInterviewMessage = (s: Session, ts: string, question: string): boolean =>
  s.interviewTs === ts || s.messages[question] === ts;

/**
 * Checks the clicked message, the answer revision the person saw and the
 * session version, applies the answer, and claims whichever message must be
 * posted next, so that only this request posts it.
 */
function answer(flow: Flow, doc: TeamDoc, e: Of<'answer'>, now: Date, fx: Effect[]): AnswerOutcome {
  const s = sessionOf(doc, e.sessionId);
  const thread = s && threadOf(s);
  if (!s || !thread || s.channel !== e.at.channel || s.threadTs !== e.at.threadTs) return { kind: 'not-found' };
  if (s.status === 'decided' || s.status === 'abandoned') {
    return { kind: 'closed', status: s.status, decisionNumber: s.decisionNumber };
  }
  if (!isInterviewMessage(s, e.at.ts, e.question)) return { kind: 'not-current' };
  if (!askedQuestions(flow, s.answers).some((q) => q.id === e.question)) return { kind: 'not-applicable' };
  const current = s.answers[e.question];
  if (sameAnswer(current, e.value)) {
    if (s.editing === e.question) {
      // Choosing the same answer of a question opened again keeps it: the interview moves on.
      delete s.editing;
      touch(s, now);
      showInterview(s, fx);
      return { kind: 'unchanged' };
    }
    // A repeat click changes nothing, but posts what an earlier failure left unposted, or shows the message
    // again: a click on an answered question means the clicker's view is behind (an update Slack refused).
    if (claimMissing(flow, s, thread, e.by, now, e.request, fx)) return { kind: 'resumed' };
    showInterview(s, fx);
    return { kind: 'unchanged' };
  }
  if ((s.answerRevs?.[e.question] ?? 0) !== e.seenRev) {
    return { kind: 'stale', by: s.answeredBy[e.question]?.by, value: current };
  }
  const wasComplete = s.status === 'complete';
  const applied = answerSession(flow, doc, s.id, {
    question: e.question,
    value: e.value,
    by: e.by,
    now,
    expectedVersion: s.version,
  });
  if (!applied.ok) {
    return match(applied.error)
      .with({ kind: 'bad-answer' }, (x): AnswerOutcome => ({ kind: 'bad-answer', message: x.error.message }))
      .with({ kind: 'closed' }, (x): AnswerOutcome => ({ kind: 'closed', status: x.status }))
      .with({ kind: 'not-found' }, (): AnswerOutcome => ({ kind: 'not-found' }))
      .with({ kind: 'stale' }, (): AnswerOutcome => ({ kind: 'stale' }))
      .exhaustive();
  }
  delete s.editing;
  // An interview begun with one message per question moves into the interview message: the old ones stop taking answers.
  for (const [q, ts] of Object.entries(s.messages)) {
    if (!isPending(ts)) fx.push({ type: 'retire-question', thread, question: q, ts });
    delete s.messages[q];
  }
  if (postedInterview(s)) fx.push({ type: 'update-interview', thread, actor: e.by });
  else if (claimable(s.interviewTs, now)) {
    const claim = claimOf(now, e.request);
    s.interviewTs = claim;
    fx.push({ type: 'post-interview', thread, claim, recover: false, actor: e.by });
  }
  const oldCard = postedCard(s);
  // Approvals were given to the recommendation as it was; a changed answer asks for them again.
  if (s.approvals.length) s.approvals = [];
  if (s.status === 'complete') {
    // A new or changed recommendation gets a new card; the old one stops taking decisions.
    if (oldCard) fx.push({ type: 'retire-card', thread, ts: oldCard });
    const claim = claimOf(now, e.request);
    s.cardTs = claim;
    fx.push({ type: 'post-card', thread, claim, recover: false, actor: e.by });
  } else if (wasComplete || s.cardTs) {
    delete s.cardTs;
    if (oldCard) fx.push({ type: 'retire-card', thread, ts: oldCard });
  }
  fx.push({ type: 'update-root', thread });
  return { kind: 'answered' };
}

/**
 * Someone opens an answered question again to change it: the interview
 * message shows it (with its answer marked) until it is answered; choosing
 * the same answer keeps it. Anyone of the team may, as anyone may answer.
 */
function askAgain(flow: Flow, doc: TeamDoc, e: Of<'ask-again'>, now: Date, fx: Effect[]): Outcomes['ask-again'] {
  const s = sessionOf(doc, e.sessionId);
  if (!s || !threadOf(s) || s.channel !== e.at.channel || s.threadTs !== e.at.threadTs) return { kind: 'not-found' };
  if (s.status === 'decided' || s.status === 'abandoned') {
    return { kind: 'closed', status: s.status, decisionNumber: s.decisionNumber };
  }
  if (s.interviewTs !== e.at.ts) return { kind: 'not-current' };
  const asked = askedQuestions(flow, s.answers).some((q) => q.id === e.question);
  if (!asked || s.answers[e.question] === undefined) return { kind: 'not-applicable' };
  if (s.editing === e.question) return { kind: 'unchanged' };
  s.editing = e.question;
  touch(s, now);
  showInterview(s, fx);
  return { kind: 'opened' };
}

/**
 * Claims the interview message or the card when nothing holds its slot (a
 * post failed); or, when the claim on it is one `request` made in a process
 * that has since stopped (a replay after a crash), takes that claim back to
 * finish the post it began. False when nothing is missing.
 */
function claimMissing(
  flow: Flow,
  s: Session,
  thread: Thread,
  actor: string,
  now: Date,
  request: RequestRef | undefined,
  fx: Effect[],
): boolean {
  const held = s.interviewTs;
  if (held && leftBy(held, request)) {
    fx.push({ type: 'post-interview', thread, claim: held, recover: true, actor });
    return true;
  }
  if (claimable(held, now)) {
    const claim = claimOf(now, request);
    s.interviewTs = claim;
    fx.push({ type: 'post-interview', thread, claim, recover: false, actor });
    return true;
  }
  const next = nextQuestion(flow, s.answers);
  if (next || s.status !== 'complete') return false;
  if (s.cardTs && leftBy(s.cardTs, request)) {
    fx.push({ type: 'post-card', thread, claim: s.cardTs, recover: true, actor });
    return true;
  }
  if (claimable(s.cardTs, now)) {
    const claim = claimOf(now, request);
    s.cardTs = claim;
    fx.push({ type: 'post-card', thread, claim, recover: false, actor });
    return true;
  }
  return false;
}

function resume(flow: Flow, doc: TeamDoc, e: Of<'resume'>, now: Date, fx: Effect[]): ResumeOutcome {
  const s = e.sessionId
    ? sessionOf(doc, e.sessionId)
    : doc.sessions.filter((x) => isOpen(x) && x.channel === e.channel && !isPending(x.threadTs)).at(-1);
  if (!s?.channel || !s.threadTs) return { kind: 'none' };
  if (!isOpen(s)) return { kind: 'closed', session: s };
  const thread = threadOf(s);
  if (!thread) return { kind: 'busy', session: s };
  if (claimMissing(flow, s, thread, e.by, now, undefined, fx)) return { kind: 'resumed', session: s };
  const next = nextQuestion(flow, s.answers);
  if (next && isPending(s.interviewTs)) return { kind: 'busy', session: s };
  // An update Slack refused earlier left the message behind the state: showing it again costs one call.
  showInterview(s, fx);
  return { kind: 'waiting', session: s, question: next?.id };
}

// ---------------------------------------------------------------- deciding

/** Checks that a recommendation card can still take a decision (no change made). */
export function cardRefusal(s: Session | undefined, at: Pick<At, 'ts'>): CardRefusal | undefined {
  if (!s) return { kind: 'not-found' };
  if (s.status === 'decided') return { kind: 'already-decided', decisionNumber: s.decisionNumber };
  if (s.status === 'abandoned' && s.expiredReason)
    return { kind: 'refused', message: `This recommendation expired at its deadline: ${s.expiredReason}` };
  if (s.status === 'abandoned' && s.abandonedReason)
    return { kind: 'refused', message: `This interview was closed: ${s.abandonedReason}` };
  if (s.status !== 'complete' || !s.recommendation) return { kind: 'not-ready' };
  if (s.cardTs !== at.ts) return { kind: 'not-current' };
  return undefined;
}

function decisionErrorText(e: DecisionError): string {
  return match(e)
    .with({ kind: 'override-needs-reason' }, () => 'A different choice needs a one-line reason.')
    .with({ kind: 'not-found' }, (x) => `${adrId(x.number)} does not exist any more.`)
    .with({ kind: 'bad-transition' }, (x) => `A decision cannot move from ${x.from} to ${x.to}.`)
    .with({ kind: 'other-team' }, () => 'Only the team that owns this interview can decide it.')
    .exhaustive();
}

/**
 * A record accepted from an interview started without a title is named after
 * what was chosen ("Extend Istio across regions with …"), not the stock question.
 */
function titled<O extends { kind: string; decision?: { number: number } }>(flow: Flow, doc: TeamDoc, outcome: O): O {
  const number = outcome.kind === 'decided' || outcome.kind === 'accepted' ? outcome.decision?.number : undefined;
  const d = number === undefined ? undefined : doc.decisions.find((x) => x.number === number);
  if (d && d.title === DEFAULT_TITLE && d.history.filter((h) => h.to === 'accepted').length === 1) {
    d.title = decisionTitle(flow, d);
  }
  return outcome;
}

/** Records the team's decision from a recommendation card: the recommendation itself, or an override with its reason. */
function accept(doc: TeamDoc, e: Of<'accept'>, now: Date, fx: Effect[]): AcceptOutcome {
  const s = sessionOf(doc, e.sessionId);
  const refused = cardRefusal(s, e.at);
  if (refused || !s) return refused ?? { kind: 'not-found' };
  const missing = approvalsMissing(doc, s);
  if (missing) return missing;
  const recorded = acceptSession(doc, s, {
    by: e.by,
    byName: e.byName,
    now,
    channel: e.at.channel,
    threadTs: e.at.threadTs,
    override: e.override,
  });
  if (!recorded.ok) return { kind: 'refused', message: decisionErrorText(recorded.error) };
  const decision = recorded.value;
  if (e.permalink) decision.permalink = e.permalink;
  s.status = 'decided';
  s.decisionNumber = decision.number;
  delete s.editing;
  touch(s, now);
  const thread = threadOf(s);
  if (thread) {
    // The interview message keeps the answers and loses its controls.
    showInterview(s, fx);
    fx.push({ type: 'update-card', thread, ts: e.at.ts }, { type: 'update-root', thread });
    // A reopened record accepted again: the copies posted the first time show its new status too.
    if (decision.cards?.length) fx.push({ type: 'update-record-cards', number: decision.number });
    fx.push({ type: 'post-decision-card', thread, number: decision.number });
    fx.push({ type: 'announce', number: decision.number, change: { kind: 'accepted', actor: e.by } });
  }
  const old = recordOf(doc, decision.supersedes);
  if (old?.supersededBy === decision.number) {
    fx.push(
      {
        type: 'note-record-thread',
        number: old.number,
        note: { kind: 'superseded', number: old.number, by: decision.number },
      },
      { type: 'update-record-cards', number: old.number },
      { type: 'announce', number: old.number, change: { kind: 'superseded', by: decision.number } },
    );
  }
  return { kind: 'decided', decision };
}

function approveCard(doc: TeamDoc, e: Of<'approve'>, now: Date, fx: Effect[]): ApproveOutcome {
  const s = sessionOf(doc, e.sessionId);
  const refused = cardRefusal(s, e.at);
  // An expired card takes no approvals: it is as good as gone.
  if (refused?.kind === 'refused') return { kind: 'not-found' };
  if (refused || !s) return refused ?? { kind: 'not-found' };
  const need = doc.config.approvals;
  if (approvers(s).includes(e.by)) return { kind: 'already-approved', have: approvers(s).length, need };
  approve(s, { by: e.by, ...(e.byName ? { byName: e.byName } : {}), at: now.toISOString() });
  touch(s, now);
  const thread = threadOf(s);
  if (thread) fx.push({ type: 'update-card', thread, ts: e.at.ts });
  return { kind: 'approved', have: approvers(s).length, need };
}

/** The card lists the open concerns: it is re-rendered when they change. */
function showConcerns(s: Session, fx: Effect[]): void {
  const thread = threadOf(s);
  const card = postedCard(s);
  if (thread && card) fx.push({ type: 'update-card', thread, ts: card });
}

function raiseConcern(doc: TeamDoc, e: Of<'raise-concern'>, now: Date, fx: Effect[]): ConcernOutcome {
  const s = sessionOf(doc, e.sessionId);
  if (!s) return { kind: 'not-found' };
  addConcern(holderOf(doc, s), {
    id: e.id,
    by: e.by,
    ...(e.byName ? { byName: e.byName } : {}),
    text: e.text,
    at: now.toISOString(),
  });
  showConcerns(s, fx);
  return { kind: 'raised' };
}

function resolveConcern(doc: TeamDoc, e: Of<'resolve-concern'>, now: Date, fx: Effect[]): ConcernOutcome {
  const s = sessionOf(doc, e.sessionId);
  if (!s) return { kind: 'not-found' };
  if (!closeConcern(holderOf(doc, s), e.id, e.by, now.toISOString())) return { kind: 'already-resolved' };
  showConcerns(s, fx);
  return { kind: 'resolved' };
}

/**
 * Ticks or unticks one readiness item of the thread's checklist: on the
 * session, or on its decision once decided. The button says which state it
 * asks for, so a repeated click changes nothing.
 */
function tick(doc: TeamDoc, e: Of<'tick'>, now: Date, fx: Effect[]): TickOutcome {
  const held = checklistHolder(doc, e.sessionId);
  if (!held) return { kind: 'not-found' };
  if (checklistTsOf(held) !== e.ts) return { kind: 'not-current' };
  const rec = checklistRecommendation(held);
  if (!rec || !checklistState(rec).some((line) => line.key === e.key)) return { kind: 'unknown-item' };
  const { session: s, holder } = held;
  const current = holder.checklistTicks[e.key];
  if (e.intent === 'tick' ? current : !current) return { kind: 'unchanged', intent: e.intent, tick: current };
  if (e.intent === 'tick') {
    holder.checklistTicks[e.key] = { by: e.by, ...(e.byName ? { byName: e.byName } : {}), at: now.toISOString() };
  } else {
    delete holder.checklistTicks[e.key];
  }
  // Like concerns, a tick leaves updatedAt alone: it is the record's date in the ADR, and the decision did not change.
  const thread = threadOf(s);
  if (thread) fx.push({ type: 'update-checklist', thread, ts: e.ts });
  return { kind: 'changed', intent: e.intent };
}

// ---------------------------------------------------------------- a record's life cycle

/** Where a record's card was posted: kept, so a later status change updates every copy. */
const MAX_COPIES = 20;
function rememberCard(d: Decision, card: { channel: string; ts: string } | undefined): void {
  if (!card) return;
  const known = d.cards ?? [];
  if (!known.some((k) => k.channel === card.channel && k.ts === card.ts)) known.push({ ...card });
  d.cards = known.slice(-MAX_COPIES);
}

/** A life-cycle error as the refusal a person is told; `notFrom` words the status rule that was broken. */
function refusalOf(error: DecisionError, notFrom: (from: Decision['status']) => string): RecordRefusal {
  return match(error)
    .with({ kind: 'other-team' }, (): RecordRefusal => ({ kind: 'foreign-team' }))
    .with({ kind: 'not-found' }, (): RecordRefusal => ({ kind: 'not-found' }))
    .with({ kind: 'override-needs-reason' }, (): RecordRefusal => ({ kind: 'refused', message: 'Not possible.' }))
    .with({ kind: 'bad-transition' }, (e): RecordRefusal => ({ kind: 'refused', message: notFrom(e.from) }))
    .exhaustive();
}

/** Where an action came from, as the history's note words it. */
const from = (via: Via | undefined): string => (via === 'terminal' ? 'from the terminal' : 'from Slack');

/** The interview a record was accepted from, when it is still tied to it. */
const interviewOf = (doc: TeamDoc, d: Decision) =>
  d.sessionId ? findByKey(doc.sessions, (x) => x.id === d.sessionId && x.decisionNumber === d.number) : undefined;

/**
 * Puts a decided record back to `proposed`, only for someone of its team. Its
 * interview takes decisions again on the same recommendation card, and
 * accepting there accepts this same record (its number is kept).
 */
function reopenRecord(doc: TeamDoc, e: Of<'reopen'>, now: Date, fx: Effect[]): Outcomes['reopen'] {
  const n = e.number;
  const reopened = reopen(doc, n, { by: e.by, byName: e.byName, teamId: e.userTeam }, now, `reopened ${from(e.via)}`);
  if (!reopened.ok) {
    return refusalOf(reopened.error, (from) =>
      from === 'superseded'
        ? `${adrId(n)} is superseded; start a revisit of its successor instead.`
        : `${adrId(n)} is ${from} and cannot be reopened.`,
    );
  }
  const decision = reopened.value;
  rememberCard(decision, e.card);
  const s = interviewOf(doc, decision);
  const thread = s && threadOf(s);
  if (s?.status === 'decided' && thread) {
    s.status = 'complete';
    touch(s, now);
    showInterview(s, fx);
    const card = postedCard(s);
    if (card) fx.push({ type: 'update-card', thread, ts: card });
    fx.push({ type: 'update-root', thread });
  }
  fx.push(
    { type: 'update-record-cards', number: n },
    { type: 'announce', number: n, change: { kind: 'reopened', actor: e.by } },
    { type: 'note-record-thread', number: n, note: { kind: 'reopened', number: n, actor: e.by } },
  );
  return { kind: 'reopened', decision };
}

/** A proposed (reopened) record is turned down; its interview's card stops taking decisions. */
function rejectRecord(doc: TeamDoc, e: Of<'reject'>, now: Date, fx: Effect[]): Outcomes['reject'] {
  const n = e.number;
  if (e.userTeam !== doc.teamId) return { kind: 'foreign-team' };
  const r = transition(doc, n, 'rejected', e.by, now, `rejected ${from(e.via)}`, e.byName);
  if (!r.ok) return refusalOf(r.error, (from) => `${adrId(n)} is ${from}; only a proposed record can be rejected.`);
  const decision = r.value;
  rememberCard(decision, e.card);
  fx.push({ type: 'update-record-cards', number: n });
  const note = { kind: 'rejected', number: n, actor: e.by } as const;
  const s = interviewOf(doc, decision);
  if (s?.status === 'complete') {
    s.status = 'decided';
    delete s.editing;
    touch(s, now);
    showInterview(s, fx);
    const thread = threadOf(s);
    const card = postedCard(s);
    if (thread && card) fx.push({ type: 'close-card', thread, ts: card, note });
    if (thread) fx.push({ type: 'update-root', thread });
  }
  fx.push(
    { type: 'note-record-thread', number: n, note },
    { type: 'announce', number: n, change: { kind: 'rejected', actor: e.by } },
  );
  return { kind: 'rejected', decision };
}

/** An accepted record no longer guides new work. */
function deprecateRecord(doc: TeamDoc, e: Of<'deprecate'>, now: Date, fx: Effect[]): Outcomes['deprecate'] {
  const n = e.number;
  if (e.userTeam !== doc.teamId) return { kind: 'foreign-team' };
  const r = transition(doc, n, 'deprecated', e.by, now, `deprecated ${from(e.via)}`, e.byName);
  if (!r.ok) return refusalOf(r.error, (from) => `${adrId(n)} is ${from}; only an accepted record can be deprecated.`);
  rememberCard(r.value, e.card);
  fx.push(
    { type: 'update-record-cards', number: n },
    { type: 'note-record-thread', number: n, note: { kind: 'deprecated', number: n, actor: e.by } },
    { type: 'announce', number: n, change: { kind: 'deprecated', actor: e.by } },
  );
  return { kind: 'deprecated', decision: r.value };
}

/**
 * Accepts a proposed record by its number, for someone of its team, under the
 * team's approvals rule. A record reopened in Slack whose interview's card
 * takes decisions again is accepted exactly as that card's Accept does.
 */
function acceptRecord(doc: TeamDoc, e: Of<'accept-record'>, now: Date, fx: Effect[]): Outcomes['accept-record'] {
  const n = e.number;
  if (e.userTeam !== doc.teamId) return { kind: 'foreign-team' };
  const d = recordOf(doc, n);
  if (!d) return { kind: 'not-found' };
  if (d.status !== 'proposed') {
    return { kind: 'refused', message: `${adrId(n)} is ${d.status}; only a proposed record can be accepted.` };
  }
  const s = interviewOf(doc, d);
  const thread = s && threadOf(s);
  const card = s && postedCard(s);
  if (s?.status === 'complete' && thread && card) {
    const at = { channel: thread.channel, threadTs: thread.threadTs, ts: card };
    const o = accept(doc, { type: 'accept', sessionId: s.id, at, by: e.by, byName: e.byName }, now, fx);
    return match(o)
      .with({ kind: 'decided' }, (x): Outcomes['accept-record'] => ({ kind: 'accepted', decision: x.decision }))
      .with({ kind: 'needs-approvals' }, (x) => x)
      .with({ kind: 'refused' }, (x) => x)
      .with({ kind: 'not-found' }, (x) => x)
      .with({ kind: 'already-decided' }, { kind: 'not-current' }, { kind: 'not-ready' }, () => ({
        kind: 'refused' as const,
        message: `${adrId(n)}'s interview cannot take a decision now.`,
      }))
      .exhaustive();
  }
  const missing = approvalsMissing(doc, s?.status === 'complete' ? s : d);
  if (missing) return missing;
  const r = transition(doc, n, 'accepted', e.by, now, `accepted ${from(e.via)}`, e.byName);
  if (!r.ok) return refusalOf(r.error, (x) => `${adrId(n)} is ${x}; only a proposed record can be accepted.`);
  if (s) stampRules(doc, s, r.value);
  if (s?.status === 'complete') {
    // The interview's card (not posted yet) stops taking decisions: the record was decided without it.
    s.status = 'decided';
    touch(s, now);
    if (thread) fx.push({ type: 'update-root', thread });
  }
  fx.push(
    { type: 'update-record-cards', number: n },
    { type: 'announce', number: n, change: { kind: 'accepted', actor: e.by } },
  );
  supersededEffects(doc, r.value, fx);
  return { kind: 'accepted', decision: r.value };
}

/** What the team hears when accepting `decision` superseded the record it revisits. */
function supersededEffects(doc: TeamDoc, decision: Decision, fx: Effect[]): void {
  const old = recordOf(doc, decision.supersedes);
  if (old?.supersededBy !== decision.number || old.status !== 'superseded') return;
  fx.push(
    {
      type: 'note-record-thread',
      number: old.number,
      note: { kind: 'superseded', number: old.number, by: decision.number },
    },
    { type: 'update-record-cards', number: old.number },
    { type: 'announce', number: old.number, change: { kind: 'superseded', by: decision.number } },
  );
}

/**
 * Supersedes an accepted record with another of the team's records: a
 * proposed successor is accepted under the approvals rule (as a revisit's
 * Accept does), an accepted one takes over at once.
 */
function supersedeRecord(doc: TeamDoc, e: Of<'supersede'>, now: Date, fx: Effect[]): Outcomes['supersede'] {
  const n = e.number;
  const m = e.with;
  if (e.userTeam !== doc.teamId) return { kind: 'foreign-team' };
  const next = recordOf(doc, m);
  if (next?.status === 'proposed') {
    const missing = approvalsMissing(doc, next);
    if (missing) return missing;
  }
  const r = supersede(
    doc,
    n,
    m,
    { by: e.by, byName: e.byName },
    now,
    `accepted ${from(e.via)}, superseding ${adrId(n)}`,
  );
  if (!r.ok) {
    return match(r.error)
      .with(
        { kind: 'itself' },
        (x): RecordRefusal => ({ kind: 'refused', message: `${adrId(x.number)} cannot supersede itself.` }),
      )
      .with(
        { kind: 'revisits-another' },
        (x): RecordRefusal => ({
          kind: 'refused',
          message: `${adrId(x.number)} already revisits ${adrId(x.revisits)}; it can supersede only that record.`,
        }),
      )
      .with(
        { kind: 'successor-closed' },
        (x): RecordRefusal => ({
          kind: 'refused',
          message: `${adrId(x.number)} is ${x.status}; only a proposed or accepted record can supersede another.`,
        }),
      )
      .with(
        { kind: 'not-found' },
        (x): RecordRefusal => ({ kind: 'refused', message: `There is no ${adrId(x.number)} in the team's log.` }),
      )
      .otherwise((x) =>
        refusalOf(x, (status) => `${adrId(n)} is ${status}; only an accepted record can be superseded.`),
      );
  }
  const { old, successor, accepted } = r.value;
  if (accepted) {
    const s = interviewOf(doc, successor);
    if (s) stampRules(doc, s, successor);
    if (s?.status === 'complete') {
      s.status = 'decided';
      touch(s, now);
      const thread = threadOf(s);
      const card = postedCard(s);
      if (thread && card) fx.push({ type: 'update-card', thread, ts: card });
      if (thread) fx.push({ type: 'update-root', thread });
    }
    fx.push(
      { type: 'update-record-cards', number: m },
      { type: 'announce', number: m, change: { kind: 'accepted', actor: e.by } },
    );
  } else fx.push({ type: 'update-record-cards', number: m });
  supersededEffects(doc, successor, fx);
  return { kind: 'superseded', decision: old, successor };
}

/** A deadline on the card's session (as `config deadline` sets when the recommendation is made). */
function setDeadline(doc: TeamDoc, e: Of<'set-deadline'>, now: Date, fx: Effect[]): Outcomes['set-deadline'] {
  const s = sessionOf(doc, e.sessionId);
  const refused = cardRefusal(s, e.at);
  if (refused || !s) return refused ?? { kind: 'not-found' };
  s.deadline = e.deadline;
  s.deadlineSetAt = now.toISOString();
  touch(s, now);
  const thread = threadOf(s);
  if (thread) {
    fx.push(
      { type: 'update-card', thread, ts: e.at.ts },
      { type: 'update-root', thread },
      { type: 'post-note', thread, note: { kind: 'deadline-set', actor: e.by, deadline: e.deadline } },
    );
  }
  return { kind: 'set' };
}

/** What still stands between a recommendation and its acceptance. */
export function blockers(doc: TeamDoc, s: Session): { missing: number; concerns: number } {
  const missing = approvalsMissing(doc, s);
  return { missing: missing ? missing.need - missing.have : 0, concerns: openConcerns(s).length };
}

/** Why a recommendation expired, in words for the thread and the root message. */
function expiryReason(missing: number, concerns: number): string {
  const parts = [
    missing ? `${count(missing, 'approval')} ${pick(missing, 'was', 'were')} still missing` : '',
    concerns ? `${count(concerns, 'concern')} ${pick(concerns, 'was', 'were')} still open` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')}. Start a new interview to decide again.`;
}

/** At the deadline: accept (quorum, no open concern) the way the button does, or let it expire (abandoned). */
function deadline(doc: TeamDoc, e: Of<'deadline'>, now: Date, fx: Effect[]): DeadlineOutcome {
  const s = sessionOf(doc, e.sessionId);
  const thread = s && threadOf(s);
  const card = s && postedCard(s);
  if (s?.status !== 'complete' || !thread || !card || !s.deadline || now.toISOString() < s.deadline) {
    return { kind: 'not-due' };
  }
  const { missing, concerns } = blockers(doc, s);
  const at = { channel: thread.channel, threadTs: thread.threadTs, ts: card };
  if (!missing && !concerns) {
    const accepted = accept(doc, { type: 'accept', sessionId: s.id, at, by: e.actor, byName: e.actorName }, now, fx);
    if (accepted.kind !== 'decided') return { kind: 'refused', outcome: accepted };
    fx.push({ type: 'post-note', thread, note: { kind: 'deadline-accepted', number: accepted.decision.number } });
    return { kind: 'accepted', decision: accepted.decision };
  }
  const reason = expiryReason(missing, concerns);
  s.status = 'abandoned';
  s.expiredAt = now.toISOString();
  s.expiredReason = reason;
  delete s.editing;
  touch(s, now);
  showInterview(s, fx);
  const note = { kind: 'expired', reason } as const;
  // The card stops taking decisions: its buttons go, the reason stays.
  fx.push(
    { type: 'close-card', thread, ts: card, note },
    { type: 'post-note', thread, note },
    { type: 'update-root', thread },
  );
  return { kind: 'expired', reason };
}

// ---------------------------------------------------------------- reminders

/**
 * Claims a record's revisit reminder for `owner` before it is posted (marked
 * posted after). A claim found without the mark means a bot stopped in
 * between: the thread is read before anything is posted again. A claim
 * another running bot took within the lease is its to finish, so replicas
 * sharing a store never post one reminder twice.
 */
function reminderDue(doc: TeamDoc, e: Of<'reminder-due'>, now: Date, fx: Effect[]): Outcomes['reminder-due'] {
  const d = recordOf(doc, e.number);
  if (d?.status !== 'accepted' || d.reminderPostedAt || !d.channel || !d.threadTs) return { kind: 'not-due' };
  const earlier = d.reminderClaimedAt;
  if (earlier && d.reminderClaimedBy && d.reminderClaimedBy !== e.owner) {
    if (now.getTime() - Date.parse(earlier) < e.leaseMs) return { kind: 'held-by-another' };
  }
  d.reminderClaimedAt = now.toISOString();
  d.reminderClaimedBy = e.owner;
  fx.push({ type: 'post-reminder', number: d.number, recover: earlier !== undefined });
  return { kind: 'claimed' };
}

/** Claims today's deadline reminder of a recommendation still waiting for its decision (marked posted after). */
function nudgeDue(doc: TeamDoc, e: Of<'nudge-due'>, fx: Effect[]): Outcomes['nudge-due'] {
  const s = sessionOf(doc, e.sessionId);
  const thread = s && threadOf(s);
  if (s?.status !== 'complete' || s.nudgedOn === e.day || !thread) return { kind: 'not-due' };
  const earlier = s.nudgeClaimedOn === e.day;
  s.nudgeClaimedOn = e.day;
  fx.push({ type: 'post-nudge', thread, day: e.day, recover: earlier });
  return { kind: 'claimed' };
}

/**
 * Abandons an interview nobody touched for the team's idle limit (`config
 * abandon`), so it stops holding its channel's place. An interview with a
 * deadline is left to its deadline.
 */
function abandonIdle(doc: TeamDoc, e: Of<'abandon-idle'>, now: Date, fx: Effect[]): Outcomes['abandon-idle'] {
  const s = sessionOf(doc, e.sessionId);
  const thread = s && threadOf(s);
  if (!s || !thread || !isIdle(doc.config, s, now)) return { kind: 'not-idle' };
  const days = abandonAfterDays(doc.config);
  s.status = 'abandoned';
  s.abandonedAt = now.toISOString();
  s.abandonedReason = `nobody answered or decided for ${count(days, 'day')}. Start a new interview to decide again.`;
  delete s.editing;
  touch(s, now);
  showInterview(s, fx);
  const note = { kind: 'abandoned', days } as const;
  const card = postedCard(s);
  if (card) fx.push({ type: 'close-card', thread, ts: card, note });
  fx.push({ type: 'post-note', thread, note }, { type: 'update-root', thread });
  return { kind: 'abandoned', days };
}

// ---------------------------------------------------------------- the terminal

/** A whole interview from the terminal, saved in one go: the session (decided) and its record. */
function recordFromTerminal(flow: Flow, doc: TeamDoc, e: Of<'record'>, now: Date): RecordOutcome {
  if (e.revisits !== undefined && !recordOf(doc, e.revisits)) return { kind: 'no-such-record', number: e.revisits };
  const session = startSession(doc, {
    id: e.id,
    startedBy: e.by,
    title: e.title,
    now,
    ...(e.revisits ? { revisits: e.revisits } : {}),
    ...(e.scope?.length ? { scope: e.scope } : {}),
  });
  for (const [question, value] of Object.entries(e.answers)) {
    const r = answerSession(flow, doc, session.id, { question, value, by: e.by, now });
    if (!r.ok) {
      const message = r.error.kind === 'bad-answer' ? r.error.error.message : r.error.kind;
      return { kind: 'bad-answer', question, message };
    }
  }
  const recorded = recordDecision(doc, {
    title: e.title,
    answers: session.answers,
    recommendation: e.recommendation,
    status: e.accept ? 'accepted' : 'proposed',
    by: e.by,
    ...(e.byName ? { byName: e.byName } : {}),
    now,
    sessionId: session.id,
    ...(e.revisits ? { supersedes: e.revisits } : {}),
  });
  if (!recorded.ok) return { kind: 'refused', error: recorded.error };
  session.status = 'decided';
  session.decisionNumber = recorded.value.number;
  touch(session, now);
  return { kind: 'recorded', decision: recorded.value };
}

import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { approvalsNeeded } from '../../domain/machine/accept.js';
import type { Effect, RecordNote, Thread, ThreadNote } from '../../domain/machine/effects.js';
import { adrId } from '../../domain/machine/record.js';
import { count } from '../../domain/plural.js';
import type { Recommendation } from '../../engine/recommend.js';
import {
  type Decision,
  decisionByNumber,
  type Session,
  sessionById,
  type TeamDoc,
  withRecords,
} from '../../store/index.js';
import { visibleIn } from '../../team/visibility.js';
import { NUDGE_EVENT, nudgeMessage } from '../blocks/deadline.js';
import { decisionCardMessage, supersededNotice } from '../blocks/decision-card.js';
import { driftChannelLine, driftNotice } from '../blocks/drift.js';
import { type Message, section, who } from '../blocks/kit.js';
import { interviewMessage, retiredQuestionMessage } from '../blocks/question.js';
import { type CardInput, type CardState, recommendationMessage } from '../blocks/recommendation.js';
import { reminderMessage } from '../blocks/reminder.js';
import { rootMessage } from '../blocks/root.js';
import { slackWhen } from '../blocks/when.js';
import { escapeText } from '../escape.js';
import { COMMAND, DRIFT, REMINDER } from '../ids.js';
import { resumeMessage } from '../use-cases/resume.js';
import { postChecklist, refreshChecklist, retireChecklist } from './checklist-messages.js';
import { claimMetadata, postedClaim, postedUnder } from './claims.js';
import type { SlackDeps } from './context.js';
import { announce, type CardCopy, refreshCards, statusNotice } from './status-changes.js';
import { postTopologyPicture } from './topology-picture.js';

/** What one of the runner's writes changes: the run's copy of these is replaced by what was saved. */
export type Touches = { session?: string | undefined; decision?: number | undefined };

/** A Web API call that logs its failure instead of throwing. */
export type Attempt = (what: string, call: () => Promise<unknown>) => Promise<boolean>;

/**
 * What one run of effects knows: the team's document, read once when the run
 * starts and replaced by what each of the run's own writes saved (never read
 * again between effects), and how to write.
 */
export type Run = {
  deps: SlackDeps;
  client: WebClient;
  teamId: string;
  doc: TeamDoc;
  attempt: Attempt;
  /**
   * A store update whose result this run keeps, with the session and record
   * it `touches` as saved (copied out of the update, not read back).
   */
  write<T>(touches: Touches, fn: (doc: TeamDoc) => T): Promise<T>;
};

/**
 * Runs a step's effects after the effects already queued for the same
 * interview (the step names it): one job per step, in the order the step
 * listed them. A failed Slack call is logged and the rest still run.
 */
export function runEffects(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  interview: string,
  effects: readonly Effect[],
): Promise<void> {
  if (!effects.length) return Promise.resolve();
  return deps.effects.run(`${teamId}/${interview}`, async () => {
    const run = await startRun(deps, client, teamId);
    for (const effect of effects) await runEffect(run, effect);
  });
}

async function startRun(deps: SlackDeps, client: WebClient, teamId: string): Promise<Run> {
  const run: Run = {
    deps,
    client,
    teamId,
    doc: await deps.store.read(teamId),
    attempt: async (what, call) => {
      try {
        await call();
        return true;
      } catch (err) {
        deps.logger.warn(`mesh-help: ${what} failed: ${(err as Error).message}`);
        return false;
      }
    },
    write: async (touches, fn) => {
      // Scoped: the write sees and changes the session and record it touches, whatever the team's size.
      const saved = await deps.store.update(
        teamId,
        (d) => {
          const result = fn(d);
          const { session, decision } = touches;
          return {
            result,
            session: session === undefined ? undefined : sessionById(d, session),
            decision: decision === undefined ? undefined : decisionByNumber(d, decision),
          };
        },
        touches,
      );
      // Only what this write touched is replaced: copying a large team's whole document per write would cost more.
      run.doc = withRecords(run.doc, saved.session, saved.decision);
      return saved.result;
    },
  };
  return run;
}

/** One effect, matched exhaustively: a new kind of effect does not compile until it is handled here. */
function runEffect(run: Run, effect: Effect): Promise<void> {
  return match(effect)
    .with({ type: 'post-interview' }, (e) => postInterview(run, e))
    .with({ type: 'update-interview' }, (e) => updateInterview(run, e.thread, e.actor))
    .with({ type: 'retire-question' }, (e) => retireQuestion(run, e.thread, e.question, e.ts))
    .with({ type: 'post-card' }, (e) => postCard(run, e))
    .with({ type: 'retire-card' }, (e) => retireCard(run, e.thread, e.ts))
    .with({ type: 'update-card' }, (e) => updateCard(run, e.thread, e.ts))
    .with({ type: 'close-card' }, (e) => closeCard(run, e.thread, e.ts, e.note))
    .with({ type: 'update-checklist' }, (e) => refreshChecklist(run, where(run, e.thread), e.ts))
    .with({ type: 'update-root' }, (e) => updateRoot(run, e.thread))
    .with({ type: 'post-note' }, (e) => postNote(run, e.thread, e.note))
    .with({ type: 'post-decision-card' }, (e) => postDecisionCard(run, e.thread, e.number))
    .with({ type: 'update-record-cards' }, (e) => refreshCards(run, e.number))
    .with({ type: 'note-record-thread' }, (e) => noteRecordThread(run, e.note))
    .with({ type: 'announce' }, (e) => announce(run, e.number, e.change))
    .with({ type: 'post-reminder' }, (e) => postReminder(run, e.number, e.recover))
    .with({ type: 'post-nudge' }, (e) => postNudge(run, e.thread, e.day, e.recover))
    .with({ type: 'post-drift' }, (e) => postDrift(run, e))
    .exhaustive();
}

const where = (run: Run, thread: Thread) => ({ teamId: run.teamId, ...thread });
/** Found through the team's index, not a pass over its sessions: effects run after every click and start. */
const sessionIn = (doc: TeamDoc, thread: Thread): Session | undefined => sessionById(doc, thread.sessionId);
const decisionOf = (doc: TeamDoc, s: Session): Decision | undefined =>
  s.decisionNumber ? decisionByNumber(doc, s.decisionNumber) : undefined;

function cardState(doc: TeamDoc, s: Session, ts: string): CardState {
  const decision = decisionOf(doc, s);
  if (decision && s.status === 'decided' && s.cardTs === ts) return { kind: 'decided', decision };
  return s.cardTs === ts && s.status === 'complete' ? { kind: 'active' } : { kind: 'superseded' };
}

/** A recommendation card's input: the session (with its deadline), its recommendation and the team's approval rule. */
const cardInput = (doc: TeamDoc, s: Session, rec: Recommendation): CardInput => ({
  ...s,
  recommendation: rec,
  approvalsNeeded: approvalsNeeded(doc),
  approvers: doc.config.approvers,
  zone: doc.config.timezone,
});

/** Fills a claimed slot with the posted ts; false when the claim was dropped meanwhile (the question stopped applying). */
function fillClaim(
  run: Run,
  thread: Thread,
  slot: (s: Session) => { get: () => string | undefined; set: (ts: string | undefined) => void },
  claim: string,
  ts: string | undefined,
): Promise<boolean> {
  return run.write({ session: thread.sessionId }, (doc) => {
    const s = sessionIn(doc, thread);
    if (!s) return false;
    const { get, set } = slot(s);
    if (get() !== claim) return false;
    set(ts);
    return true;
  });
}

const interviewSlot = (s: Session) => ({
  get: () => s.interviewTs,
  set: (ts: string | undefined) => {
    if (ts) s.interviewTs = ts;
    else delete s.interviewTs;
  },
});
const cardSlot = (s: Session) => ({
  get: () => s.cardTs,
  set: (ts: string | undefined) => {
    if (ts) s.cardTs = ts;
    else delete s.cardTs;
  },
});

/** A post that failed leaves its slot free, so the next click on the last answer (or Resume) posts it again. */
async function tellActor(run: Run, thread: Thread, actor: string | undefined, what: string): Promise<void> {
  if (!actor) return;
  const text = `Your answers are saved, but Slack would not take ${what} just now. Click *Resume it* (or your last answer again, or run \`${COMMAND} resume\` here) to post it.`;
  await run.attempt('telling the user a step failed', () =>
    run.client.chat.postEphemeral({
      channel: thread.channel,
      user: actor,
      thread_ts: thread.threadTs,
      ...resumeMessage(text, run.teamId, { id: thread.sessionId }),
    }),
  );
}

/** Re-renders the interview message from the state this run read (the newest: runs of one interview queue). */
async function updateInterview(run: Run, thread: Thread, actor?: string): Promise<void> {
  const s = sessionIn(run.doc, thread);
  const ts = s?.interviewTs;
  if (!s || !ts || ts.startsWith('pending:')) return;
  const msg = interviewMessage(run.deps.flow, s);
  const updated = await run.attempt('updating the interview message', () =>
    run.client.chat.update({ channel: thread.channel, ts, ...msg }),
  );
  if (!updated) await tellActor(run, thread, actor, 'the next question');
}

async function retireQuestion(run: Run, thread: Thread, question: string, ts: string): Promise<void> {
  const msg = retiredQuestionMessage(run.deps.flow, question);
  await run.attempt(`retiring question ${question}`, () =>
    run.client.chat.update({ channel: thread.channel, ts, ...msg }),
  );
}

/**
 * Posts the interview message under the claim the step made and keeps its
 * ts. It is drawn from the state when the run starts, and drawn again once
 * its ts is kept when the state moved on meanwhile (an answer given on the
 * old question messages of an interview begun before this one existed).
 */
async function postInterview(run: Run, e: Extract<Effect, { type: 'post-interview' }>): Promise<void> {
  const { thread, claim, recover } = e;
  const s = sessionIn(run.doc, thread);
  if (!s) return;
  const msg = interviewMessage(run.deps.flow, s);
  let ts: string | undefined;
  const posted = await run.attempt('posting the interview message', async () => {
    // After a crash between post and mark, the message may be in the thread already.
    if (recover) ts = await postedClaim(run.client, thread.channel, thread.threadTs, claim);
    ts ??= (
      await run.client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.threadTs,
        ...msg,
        ...claimMetadata(claim),
      })
    ).ts;
  });
  const kept = await fillClaim(run, thread, interviewSlot, claim, ts);
  if (!posted) await tellActor(run, thread, e.actor, 'the next question');
  const drawn = s.version;
  // A message found after a crash was drawn then; one posted while the state moved on was drawn before the move.
  if (kept && ts && (recover || sessionIn(run.doc, thread)?.version !== drawn)) await updateInterview(run, thread);
  // Another request took the slot over (its claim had gone stale): one interview message is enough.
  if (!kept && ts) {
    const extra = ts;
    await run.attempt('removing a second interview message', () =>
      run.client.chat.delete({ channel: thread.channel, ts: extra }),
    );
  }
}

async function retireCard(run: Run, thread: Thread, ts: string): Promise<void> {
  const s = sessionIn(run.doc, thread);
  if (!s) return;
  const msg: Message = s.recommendation
    ? recommendationMessage(run.deps.flow, { ...s, recommendation: s.recommendation }, { kind: 'superseded' })
    : {
        text: 'An answer changed, so this recommendation no longer holds.',
        blocks: [
          section(
            ':arrows_counterclockwise: An answer changed, so this recommendation no longer holds. The interview goes on below.',
          ),
        ],
      };
  await run.attempt('retiring a recommendation card', () =>
    run.client.chat.update({ channel: thread.channel, ts, ...msg }),
  );
  // The retired card's checklist goes with it.
  await retireChecklist(run, where(run, thread));
}

async function postCard(run: Run, e: Extract<Effect, { type: 'post-card' }>): Promise<void> {
  const { thread, claim, recover } = e;
  const s = sessionIn(run.doc, thread);
  const rec = s?.recommendation;
  let ts: string | undefined;
  let found = false;
  if (s && rec && s.cardTs === claim) {
    const msg = recommendationMessage(run.deps.flow, cardInput(run.doc, s, rec), { kind: 'active' });
    // Not broadcast: the channel learns of it from the root message, updated in place (issue #17).
    await run.attempt('posting the recommendation', async () => {
      if (recover) ts = await postedClaim(run.client, thread.channel, thread.threadTs, claim);
      found = ts !== undefined;
      ts ??= (
        await run.client.chat.postMessage({
          channel: thread.channel,
          thread_ts: thread.threadTs,
          ...msg,
          ...claimMetadata(claim),
        })
      ).ts;
    });
  }
  const kept = await fillClaim(run, thread, cardSlot, claim, ts);
  if (rec && ts === undefined) await tellActor(run, thread, e.actor, 'the recommendation');
  // The readiness checklist goes right under the card it belongs to.
  if (kept && ts) await postChecklist(run, where(run, thread), ts);
  // The picture of the recommended topology follows, when this run posted the card (not found it after a crash).
  if (kept && ts && s && rec && !found) await postTopologyPicture(run, thread, s.answers, rec);
  if (!kept && ts) {
    const now = sessionIn(run.doc, thread);
    const current = now?.recommendation ?? rec;
    if (now && current) {
      const msg = recommendationMessage(run.deps.flow, { ...now, recommendation: current }, { kind: 'superseded' });
      const postedTs = ts;
      await run.attempt('retiring a recommendation card', () =>
        run.client.chat.update({ channel: thread.channel, ts: postedTs, ...msg }),
      );
    }
  }
}

async function updateCard(run: Run, thread: Thread, ts: string): Promise<void> {
  const s = sessionIn(run.doc, thread);
  const rec = s?.recommendation;
  if (!s || !rec) return;
  const state = cardState(run.doc, s, ts);
  const msg = recommendationMessage(run.deps.flow, cardInput(run.doc, s, rec), state);
  await run.attempt('updating the recommendation card', () =>
    run.client.chat.update({ channel: thread.channel, ts, ...msg }),
  );
}

/** The words of a note in an interview's thread. */
export function threadNoteText(note: ThreadNote, zone?: string): string {
  return match(note)
    .with(
      { kind: 'deadline-accepted' },
      (n) =>
        `:alarm_clock: The deadline passed with enough approvals and no open concern, so the recommendation is accepted as *${adrId(n.number)}*.`,
    )
    .with({ kind: 'expired' }, (n) => `:hourglass: The deadline passed: ${n.reason}`)
    .with(
      { kind: 'abandoned' },
      (n) =>
        `:zzz: Nobody answered or decided for ${count(n.days, 'day')}, so this interview is closed and no longer holds the channel's place. \`${COMMAND} start\` begins a new one.`,
    )
    .with(
      { kind: 'deadline-set' },
      (n) => `:alarm_clock: ${who(n.actor)} set a deadline: decide by ${slackWhen(n.deadline, zone)}.`,
    )
    .with(
      { kind: 'rejected' },
      (n) => `:x: ${who(n.actor)} rejected *${adrId(n.number)}*. Its team can reopen it from the decision card.`,
    )
    .exhaustive();
}

async function closeCard(run: Run, thread: Thread, ts: string, note: ThreadNote): Promise<void> {
  const text = threadNoteText(note, run.doc.config.timezone);
  await run.attempt('closing a recommendation card', () =>
    run.client.chat.update({ channel: thread.channel, ts, text, blocks: [section(text)] }),
  );
}

async function postNote(run: Run, thread: Thread, note: ThreadNote): Promise<void> {
  const text = threadNoteText(note, run.doc.config.timezone);
  await run.attempt(`a note in ${thread.channel}`, () =>
    run.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text, blocks: [section(text)] }),
  );
}

async function updateRoot(run: Run, thread: Thread): Promise<void> {
  const s = sessionIn(run.doc, thread);
  if (!s) return;
  const msg = rootMessage(run.deps.flow, s, decisionOf(run.doc, s), run.doc.config.timezone);
  const rootTs = s.rootTs ?? thread.threadTs;
  await run.attempt('updating the root message', () =>
    run.client.chat.update({ channel: thread.channel, ts: rootTs, ...msg }),
  );
}

/** Most copies kept per record: the thread's card and a few re-posts. */
const MAX_COPIES = 20;

/**
 * The accepted record's card, in its thread only (not broadcast: issue #17),
 * and one short notice in the channel naming the decision and its tools with
 * a link to the thread. The decisions channel gets the same notice through the
 * `announce` effect. Where the card is kept, so a later status change updates it.
 */
async function postDecisionCard(run: Run, thread: Thread, number: number): Promise<void> {
  const decision = decisionByNumber(run.doc, number);
  if (!decision) return;
  const msg = decisionCardMessage(run.deps.flow, decision, { teamId: run.teamId, decisions: run.doc.decisions });
  const { channel, threadTs } = thread;
  const copies: CardCopy[] = [];
  await run.attempt('posting the decision card', async () => {
    const posted = await run.client.chat.postMessage({ channel, thread_ts: threadTs, ...msg });
    if (posted.ts) copies.push({ channel, ts: posted.ts });
  });
  const actor = decision.decidedBy ?? decision.createdBy;
  await run.attempt('posting the decision notice', () =>
    run.client.chat.postMessage({
      channel,
      ...statusNotice(run.deps.flow, decision, { kind: 'accepted', actor }),
      unfurl_links: false,
    }),
  );
  if (!copies.length) return;
  await run.write({ decision: number }, (doc) => {
    const d = decisionByNumber(doc, number);
    if (!d) return;
    const known = d.cards ?? [];
    for (const c of copies)
      if (!known.some((k) => k.channel === c.channel && k.ts === c.ts)) known.push({ channel: c.channel, ts: c.ts });
    d.cards = known.slice(-MAX_COPIES);
  });
}

/** The words of a note in a record's own thread. */
function recordNoteMessage(run: Run, note: RecordNote): Message | undefined {
  const text = match(note)
    .with(
      { kind: 'reopened' },
      (n) =>
        `:leftwards_arrow_with_hook: ${who(n.actor)} reopened *${adrId(n.number)}*. It is proposed again: the recommendation card in this thread takes decisions again.`,
    )
    .with(
      { kind: 'deprecated' },
      (n) =>
        `:wastebasket: ${who(n.actor)} deprecated *${adrId(n.number)}*: it no longer guides new work. Its team can reopen it from the card.`,
    )
    .with({ kind: 'rejected' }, (n) => threadNoteText(n))
    .with({ kind: 'superseded' }, () => undefined)
    .with(
      { kind: 'drift-acknowledged' },
      (n) =>
        `:white_check_mark: ${who(n.actor)} acknowledged the change under *${adrId(n.number)}*: still right for us, because ${escapeText(n.reason)}`,
    )
    .exhaustive();
  if (text !== undefined) return { text, blocks: [section(text)] };
  if (note.kind !== 'superseded') return undefined;
  const old = decisionByNumber(run.doc, note.number);
  const successor = decisionByNumber(run.doc, note.by);
  return old && successor && old.supersededBy === successor.number
    ? supersededNotice(run.deps.flow, old, successor)
    : undefined;
}

async function noteRecordThread(run: Run, note: RecordNote): Promise<void> {
  const decision = decisionByNumber(run.doc, note.number);
  const msg = recordNoteMessage(run, note);
  if (!decision?.channel || !decision.threadTs || !msg) return;
  const { channel, threadTs } = decision;
  await run.attempt(`noting the ${note.kind} of ${adrId(note.number)}`, () =>
    run.client.chat.postMessage({ channel, thread_ts: threadTs, ...msg }),
  );
}

/**
 * A record's revisit reminder, posted under the claim the step made and
 * marked posted after. When an earlier claim was left unmarked the thread is
 * read first; a thread that cannot be read, or a post that fails, leaves the
 * claim for the next round.
 */
async function postReminder(run: Run, number: number, recover: boolean): Promise<void> {
  const d = decisionByNumber(run.doc, number);
  if (!d?.channel || !d.threadTs) return;
  const { channel, threadTs } = d;
  let ts: string | undefined;
  const posted = await run.attempt(`posting the revisit reminder of ${adrId(number)}`, async () => {
    if (recover)
      ts = await postedUnder(run.client, channel, threadTs, (p) => p.decision === number, REMINDER.eventType);
    ts ??= (
      await run.client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        ...reminderMessage(run.teamId, d),
        metadata: { event_type: REMINDER.eventType, event_payload: { decision: number } },
      })
    ).ts;
  });
  if (!posted) return;
  const at = run.deps.now().toISOString();
  await run.write({ decision: number }, (doc) => {
    const x = decisionByNumber(doc, number);
    if (!x) return;
    x.reminderPostedAt = at;
    if (ts) x.reminderTs = ts;
  });
}

/** Today's deadline reminder in a recommendation's thread, at most once (claimed by the step, marked here). */
async function postNudge(run: Run, thread: Thread, day: string, recover: boolean): Promise<void> {
  const s = sessionIn(run.doc, thread);
  if (!s) return;
  const mine = (p: Record<string, unknown>) => p.session === s.id && p.day === day;
  const posted = await run.attempt('posting a deadline reminder', async () => {
    const already = recover && (await postedUnder(run.client, thread.channel, thread.threadTs, mine, NUDGE_EVENT));
    if (already) return;
    await run.client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      ...nudgeMessage(run.doc, s),
      metadata: { event_type: NUDGE_EVENT, event_payload: { session: s.id, day } },
    });
  });
  if (!posted) return;
  await run.write({ session: thread.sessionId }, (doc) => {
    const x = sessionIn(doc, thread);
    if (x) x.nudgedOn = day;
  });
}

/**
 * A record's drift notice, posted under the claim the step made and marked
 * after: the keys join `driftNotified`, so the next check (on any replica,
 * after any restart) posts nothing for these changes. After an unmarked claim
 * on the same changes the thread is read first. The decisions channel gets one
 * line, never for a private record; the card copies show the marker.
 */
async function postDrift(run: Run, e: Extract<Effect, { type: 'post-drift' }>): Promise<void> {
  const d = decisionByNumber(run.doc, e.number);
  if (!d?.channel || !d.threadTs) return;
  const { channel, threadTs } = d;
  const key = [...e.keys].sort().join('|');
  let ts: string | undefined;
  let found = false;
  const posted = await run.attempt(`posting the drift notice of ${adrId(e.number)}`, async () => {
    if (e.recover) {
      ts = await postedUnder(
        run.client,
        channel,
        threadTs,
        (p) => p.decision === e.number && p.keys === key,
        DRIFT.eventType,
      );
      found = ts !== undefined;
    }
    ts ??= (
      await run.client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        ...driftNotice(run.teamId, d, e.lines),
        metadata: { event_type: DRIFT.eventType, event_payload: { decision: e.number, keys: key } },
      })
    ).ts;
  });
  if (!posted) return;
  const to = run.doc.config.decisionsChannel;
  // Found in the thread after a crash: its channel line went out with it (or is not worth a second one).
  if (to && !found && visibleIn(d, to)) {
    await run.attempt(`announcing the drift of ${adrId(e.number)} in ${to}`, () =>
      run.client.chat.postMessage({ channel: to, ...driftChannelLine(d, e.lines) }),
    );
  }
  await run.write({ decision: e.number }, (doc) => {
    const x = decisionByNumber(doc, e.number);
    if (!x) return;
    x.driftNotified = [...new Set([...(x.driftNotified ?? []), ...e.keys])];
    delete x.driftClaimedAt;
    delete x.driftClaimedBy;
    delete x.driftClaimedKeys;
    if (ts) x.driftTs = ts;
  });
  await refreshCards(run, e.number);
}

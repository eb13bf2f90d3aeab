import { freeze } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../src/domain/machine/effects.js';
import type { Event, OutcomeOf } from '../../../src/domain/machine/events.js';
import { step } from '../../../src/domain/machine/step.js';
/**
 * Transcripts of the state machine: events in, state, effects and outcome out.
 * No store, no Slack, no clock: each test is a conversation replayed on the
 * pure `step`.
 */
import { DEFAULT_TITLE, decisionTitle } from '../../../src/domain/presentation.js';
import { nextQuestion } from '../../../src/engine/answers.js';
import { getFlow } from '../../../src/engine/load.js';
import { emptyTeam, type Session, type TeamDoc } from '../../../src/store/schema.js';

const flow = getFlow();
const T0 = new Date('2026-11-25T10:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A little driver that keeps the state between events and remembers the last effects. */
function conversation(doc: TeamDoc = emptyTeam('T1')) {
  let state: TeamDoc = freeze(doc, true);
  let clock = 0;
  let effects: Effect[] = [];
  let interview: string | undefined;
  const c = {
    get state() {
      return state;
    },
    /** The interview whose queue the last effects run in. */
    get interview() {
      return interview;
    },
    get effects() {
      return effects;
    },
    send<E extends Event>(event: E, at: Date = later(++clock)): OutcomeOf<E> {
      const before = JSON.stringify(state);
      const r = step(flow, state, event, at);
      // Pure: the state it was given is untouched, whatever happened.
      expect(JSON.stringify(state)).toBe(before);
      state = r.state;
      effects = r.effects;
      interview = r.interview;
      return r.outcome;
    },
    /** What the effect runner writes after a post (a claimed slot gets the message's ts), replayed by hand. */
    runnerWrote(change: (draft: TeamDoc) => void) {
      const draft = structuredClone(state) as TeamDoc;
      change(draft);
      state = freeze(draft, true);
    },
    session: (id = 's1'): Session => {
      const s = state.sessions.find((x) => x.id === id);
      if (!s) throw new Error(`no session ${id}`);
      return s;
    },
    types: () => effects.map((e) => e.type),
  };
  return c;
}

const AT = { channel: 'C1', threadTs: '100.1' };
const CARD = { ...AT, ts: '300.1' };
const first = (d: TeamDoc) => d.sessions[0] as Session;

/** Starts an interview in C1 and posts its root. */
function started() {
  const c = conversation();
  const reserved = c.send({ type: 'start', id: 's1', channel: 'C1', user: 'U1', title: 'Mesh?' });
  expect(reserved.kind).toBe('reserved');
  c.send({ type: 'root-posted', sessionId: 's1', threadTs: AT.threadTs, rootTs: AT.threadTs, replies: [] });
  return c;
}

/** Answers every question with its default (one cluster, so few questions) until the card is claimed. */
function answeredToTheEnd() {
  const c = started();
  for (let n = 1; ; n++) {
    const q = nextQuestion(flow, c.session().answers);
    if (!q) return c;
    const ts = `200.${n}`;
    c.runnerWrote((d) => {
      first(d).messages[q.id] = ts;
    });
    const value = q.id === 'clusters' ? 'one' : q.default;
    const outcome = c.send({
      type: 'answer',
      sessionId: 's1',
      at: { ...AT, ts },
      question: q.id,
      value,
      seenRev: 0,
      by: 'U1',
    });
    expect(outcome.kind).toBe('answered');
  }
}

/** A complete interview whose card is posted as 300.1, with the team's settings changed by `config`. */
function withPostedCard(config: (d: TeamDoc) => void = () => undefined) {
  const c = answeredToTheEnd();
  c.runnerWrote((d) => {
    first(d).cardTs = CARD.ts;
    config(d);
  });
  return c;
}

describe('the interview state machine (transcripts)', () => {
  it('start reserves a place under a claim, and the posted root claims the first question', () => {
    const c = conversation();
    const reserved = c.send({ type: 'start', id: 's1', channel: 'C1', user: 'U1', title: 'Mesh?' });
    expect(reserved).toMatchObject({ kind: 'reserved', id: 's1', recover: false });
    expect(c.session()).toMatchObject({ status: 'open', version: 0 });
    expect(c.session().threadTs).toMatch(/^pending:/);
    expect(c.effects).toEqual([]);
    const posted = c.send({ type: 'root-posted', sessionId: 's1', threadTs: '100.1', rootTs: '100.1', replies: [] });
    expect(posted.kind).toBe('started');
    const first = flow.interview.questions[0]?.id ?? '';
    expect(c.effects).toEqual([
      {
        type: 'post-question',
        thread: { sessionId: 's1', channel: 'C1', threadTs: '100.1' },
        question: first,
        claim: c.session().messages[first],
        recover: false,
        actor: 'U1',
      },
    ]);
  });

  it('a second start in the same channel is refused with the open interview, and changes nothing', () => {
    const c = started();
    const before = c.state;
    const again = c.send({ type: 'start', id: 's2', channel: 'C1', user: 'U2', title: 'Again' });
    expect(again).toMatchObject({ kind: 'already-open', session: { id: 's1' } });
    expect(c.state.sessions).toHaveLength(1);
    expect(c.state).toEqual(before);
  });

  it('a root that could not be posted gives its place back', () => {
    const c = conversation();
    c.send({ type: 'start', id: 's1', channel: 'C1', user: 'U1', title: 'Mesh?' });
    expect(c.send({ type: 'root-failed', sessionId: 's1' })).toEqual({ kind: 'released' });
    expect(c.state.sessions).toEqual([]);
  });

  it('answers to the end: each answer re-renders its question and claims the next; the last one claims the card', () => {
    const c = answeredToTheEnd();
    expect(c.session().status).toBe('complete');
    expect(c.session().recommendation?.primary).toBe('plain-kubernetes');
    expect(c.types()).toEqual(['update-question', 'post-card', 'update-root']);
    expect(c.session().cardTs).toMatch(/^pending:/);
  });

  it('a click on an old question message is refused as not current, and an answer on a stale view as stale', () => {
    const c = answeredToTheEnd();
    const q = 'clusters';
    const ts = c.session().messages[q] ?? '';
    expect(
      c.send({
        type: 'answer',
        sessionId: 's1',
        at: { ...AT, ts: '9.9' },
        question: q,
        value: 'multi-region',
        seenRev: 1,
        by: 'U2',
      }),
    ).toEqual({ kind: 'not-current' });
    expect(
      c.send({
        type: 'answer',
        sessionId: 's1',
        at: { ...AT, ts },
        question: q,
        value: 'multi-region',
        seenRev: 0,
        by: 'U2',
      }),
    ).toMatchObject({ kind: 'stale', by: 'U1' });
    expect(c.session().answers.clusters).toBe('one');
  });

  it('a record accepted from an untitled interview is named after what was chosen; a given title is kept', () => {
    const untitled = withPostedCard((d) => {
      first(d).title = DEFAULT_TITLE;
    });
    const decided = untitled.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' });
    const d = untitled.state.decisions[0];
    if (decided.kind !== 'decided' || !d) throw new Error(`not decided: ${decided.kind}`);
    expect(d.title).toBe(decisionTitle(flow, d));
    expect(d.title).not.toBe(DEFAULT_TITLE);
    expect(d.title).toMatch(/^Stay on plain Kubernetes/);
    // The interview's own title (its root message) is left as it was.
    expect(untitled.session().title).toBe(DEFAULT_TITLE);
    const titled = withPostedCard();
    titled.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' });
    expect(titled.state.decisions[0]?.title).toBe('Mesh?');
  });

  it('accept needs the quorum, then decides: the record is accepted and the card, root and decision card follow', () => {
    const c = withPostedCard((d) => {
      d.config.approvals = 2;
    });
    const card = CARD;
    expect(c.send({ type: 'accept', sessionId: 's1', at: card, by: 'U1' })).toEqual({
      kind: 'needs-approvals',
      have: 0,
      need: 2,
    });
    expect(c.send({ type: 'approve', sessionId: 's1', at: card, by: 'U1' })).toMatchObject({
      kind: 'approved',
      have: 1,
    });
    expect(c.types()).toEqual(['update-card']);
    expect(c.send({ type: 'approve', sessionId: 's1', at: card, by: 'U1' })).toMatchObject({
      kind: 'already-approved',
      have: 1,
    });
    c.send({ type: 'approve', sessionId: 's1', at: card, by: 'U2' });
    const decided = c.send({ type: 'accept', sessionId: 's1', at: card, by: 'U2', byName: 'bob' });
    expect(decided).toMatchObject({ kind: 'decided', decision: { number: 1, status: 'accepted', decidedBy: 'U2' } });
    expect(c.session()).toMatchObject({ status: 'decided', decisionNumber: 1 });
    expect(c.types()).toEqual(['update-card', 'update-root', 'post-decision-card', 'announce']);
    // The approvals moved onto the record.
    expect(c.state.decisions[0]?.approvals.map((a) => a.by)).toEqual(['U1', 'U2']);
    expect(c.send({ type: 'accept', sessionId: 's1', at: card, by: 'U3' })).toEqual({
      kind: 'already-decided',
      decisionNumber: 1,
    });
  });

  it('reopen, reject and deprecate move the record and its interview together, for the record’s own team only', () => {
    const c = withPostedCard();
    const card = CARD;
    c.send({ type: 'accept', sessionId: 's1', at: card, by: 'U1' });
    const clicked = { channel: 'C1', ts: '400.1' };
    expect(c.send({ type: 'reopen', number: 1, by: 'X1', userTeam: 'T2', card: clicked })).toEqual({
      kind: 'foreign-team',
    });
    expect(c.state.decisions[0]?.status).toBe('accepted');
    expect(c.send({ type: 'deprecate', number: 1, by: 'U1', userTeam: 'T1', card: clicked }).kind).toBe('deprecated');
    expect(c.state.decisions[0]?.cards).toEqual([clicked]);
    expect(c.types()).toEqual(['update-record-cards', 'note-record-thread', 'announce']);
    // Effects on a record run in the queue of the interview it came from.
    expect(c.interview).toBe('s1');
    expect(c.send({ type: 'reopen', number: 1, by: 'U1', userTeam: 'T1' }).kind).toBe('reopened');
    expect(c.state.decisions[0]?.status).toBe('proposed');
    expect(c.session().status).toBe('complete');
    expect(c.types()).toEqual(['update-card', 'update-root', 'update-record-cards', 'announce', 'note-record-thread']);
    const rejected = c.send({ type: 'reject', number: 1, by: 'U1', userTeam: 'T1' });
    expect(rejected.kind).toBe('rejected');
    expect(c.session().status).toBe('decided');
    expect(c.types()).toContain('close-card');
    const again = c.send({ type: 'reject', number: 1, by: 'U1', userTeam: 'T1' });
    expect(again).toEqual({
      kind: 'refused',
      message: 'ADR-0001 is rejected; only a proposed record can be rejected.',
    });
  });

  it('the deadline accepts with quorum and no open concern, and abandons otherwise, saying why', () => {
    const base = withPostedCard((d) => {
      first(d).deadline = later(60).toISOString();
    }).state;
    const early = conversation(base);
    expect(
      early.send({ type: 'deadline', sessionId: 's1', actor: 'mesh-help', actorName: 'deadline' }, later(30)),
    ).toEqual({ kind: 'not-due' });

    const quiet = conversation(base);
    const accepted = quiet.send(
      { type: 'deadline', sessionId: 's1', actor: 'mesh-help', actorName: 'deadline' },
      later(61),
    );
    expect(accepted).toMatchObject({ kind: 'accepted', decision: { status: 'accepted', decidedBy: 'mesh-help' } });
    expect(quiet.types()).toContain('post-note');

    const worried = conversation(base);
    worried.send({ type: 'raise-concern', sessionId: 's1', id: 'c1', by: 'U2', text: 'latency?' });
    expect(worried.types()).toEqual(['update-card']);
    const expired = worried.send(
      { type: 'deadline', sessionId: 's1', actor: 'mesh-help', actorName: 'deadline' },
      later(61),
    );
    expect(expired).toEqual({
      kind: 'expired',
      reason: '1 concern was still open. Start a new interview to decide again.',
    });
    expect(worried.session()).toMatchObject({
      status: 'abandoned',
      expiredReason: expired.kind === 'expired' ? expired.reason : '',
    });
    expect(worried.types()).toEqual(['close-card', 'post-note', 'update-root']);
    // An abandoned interview takes no decision and no answer.
    expect(worried.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' }).kind).toBe('refused');
  });

  it('a revisit reminder is claimed once per bot lease, and a claim left unmarked is recovered by reading the thread first', () => {
    const c = withPostedCard();
    c.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' });
    const due = { type: 'reminder-due', number: 1, leaseMs: 10 * 60_000 } as const;
    expect(c.send({ ...due, owner: 'bot-a' })).toEqual({ kind: 'claimed' });
    expect(c.effects).toEqual([{ type: 'post-reminder', number: 1, recover: false }]);
    // The reminder's effects run in its interview's queue.
    expect(c.interview).toBe('s1');
    // Another bot within the lease leaves it alone; after the lease it takes over, looking in the thread first.
    expect(c.send({ ...due, owner: 'bot-b' })).toEqual({ kind: 'held-by-another' });
    expect(c.effects).toEqual([]);
    expect(c.send({ ...due, owner: 'bot-b' }, later(60))).toEqual({ kind: 'claimed' });
    expect(c.effects).toEqual([{ type: 'post-reminder', number: 1, recover: true }]);
    c.runnerWrote((d) => {
      (d.decisions[0] as TeamDoc['decisions'][number]).reminderPostedAt = later(61).toISOString();
    });
    expect(c.send({ ...due, owner: 'bot-a' }, later(62))).toEqual({ kind: 'not-due' });
  });

  it('a deadline reminder is claimed once a day, and only while the recommendation waits', () => {
    const c = withPostedCard();
    expect(c.send({ type: 'nudge-due', sessionId: 's1', day: '2026-11-26' })).toEqual({ kind: 'claimed' });
    expect(c.effects).toMatchObject([{ type: 'post-nudge', day: '2026-11-26', recover: false }]);
    // Claimed but not marked (a crash between post and mark): the next round looks in the thread first.
    c.send({ type: 'nudge-due', sessionId: 's1', day: '2026-11-26' });
    expect(c.effects).toMatchObject([{ type: 'post-nudge', recover: true }]);
    c.runnerWrote((d) => {
      first(d).nudgedOn = '2026-11-26';
    });
    expect(c.send({ type: 'nudge-due', sessionId: 's1', day: '2026-11-26' })).toEqual({ kind: 'not-due' });
    c.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' });
    expect(c.send({ type: 'nudge-due', sessionId: 's1', day: '2026-11-27' })).toEqual({ kind: 'not-due' });
  });

  it('an interview nobody touches for the idle limit is abandoned; any activity starts the count again', () => {
    const c = started();
    const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
    expect(c.send({ type: 'abandon-idle', sessionId: 's1' }, day(29))).toEqual({ kind: 'not-idle' });
    // A reply in the thread on day 20 is activity: day 31 is only 11 days after it.
    c.runnerWrote((d) => {
      first(d).replies.push({
        ts: '150.1',
        user: 'U2',
        text: 'still thinking',
        at: day(20).toISOString(),
        deleted: false,
      });
    });
    expect(c.send({ type: 'abandon-idle', sessionId: 's1' }, day(31))).toEqual({ kind: 'not-idle' });
    expect(c.send({ type: 'abandon-idle', sessionId: 's1' }, day(51))).toEqual({ kind: 'abandoned', days: 30 });
    expect(c.session()).toMatchObject({ status: 'abandoned', abandonedAt: day(51).toISOString() });
    expect(c.types()).toEqual(['post-note', 'update-root']);
    // Abandoned is final: no answer, no second abandonment.
    expect(c.send({ type: 'abandon-idle', sessionId: 's1' }, day(90))).toEqual({ kind: 'not-idle' });
    const ts = c.session().messages.clusters ?? '';
    expect(
      c.send({
        type: 'answer',
        sessionId: 's1',
        at: { ...AT, ts },
        question: 'clusters',
        value: 'one',
        seenRev: 0,
        by: 'U1',
      }),
    ).toMatchObject({ kind: 'closed', status: 'abandoned' });
  });

  it('the idle limit is the team’s: never with 0, and a deadline takes precedence', () => {
    const never = withPostedCard((d) => {
      d.config.abandonAfterDays = 0;
    });
    expect(never.send({ type: 'abandon-idle', sessionId: 's1' }, new Date('2030-01-01T00:00:00Z'))).toEqual({
      kind: 'not-idle',
    });
    const timed = withPostedCard((d) => {
      first(d).deadline = '2029-01-01T00:00:00.000Z';
    });
    expect(timed.send({ type: 'abandon-idle', sessionId: 's1' }, new Date('2030-01-01T00:00:00Z'))).toEqual({
      kind: 'not-idle',
    });
    const week = withPostedCard((d) => {
      d.config.abandonAfterDays = 7;
    });
    expect(week.send({ type: 'abandon-idle', sessionId: 's1' }, later(8 * 24 * 60))).toEqual({
      kind: 'abandoned',
      days: 7,
    });
    // The posted card stops taking decisions, and says why.
    expect(week.types()).toEqual(['close-card', 'post-note', 'update-root']);
    expect(week.send({ type: 'accept', sessionId: 's1', at: CARD, by: 'U1' })).toEqual({
      kind: 'refused',
      message:
        'This interview was closed: nobody answered or decided for 7 days. Start a new interview to decide again.',
    });
  });

  it('the terminal records a whole interview in one event: a decided session (version bumped) and its record', () => {
    const c = conversation();
    const outcome = c.send({
      type: 'record',
      id: 't1',
      title: 'From the terminal',
      answers: { clusters: 'one' },
      recommendation: {
        primary: 'plain-kubernetes',
        complements: [],
        notNow: [],
        reasons: [],
        warnings: [],
        tools: [],
        checklist: [],
      },
      accept: true,
      by: 'terminal',
    });
    expect(outcome).toMatchObject({ kind: 'recorded', decision: { number: 1, status: 'accepted' } });
    expect(c.session('t1')).toMatchObject({ status: 'decided', decisionNumber: 1 });
    expect(c.session('t1').version).toBeGreaterThan(1);
    expect(c.effects).toEqual([]);
    expect(c.interview).toBeUndefined();
    expect(
      c.send({
        type: 'record',
        id: 't2',
        title: 'x',
        answers: {},
        recommendation: {
          primary: 'plain-kubernetes',
          complements: [],
          notNow: [],
          reasons: [],
          warnings: [],
          tools: [],
          checklist: [],
        },
        accept: false,
        revisits: 7,
        by: 'terminal',
      }),
    ).toEqual({ kind: 'no-such-record', number: 7 });
  });
});

import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { startSession } from '../../src/domain/machine/session.js';
import { emptyTeam } from '../../src/store/schema.js';
import {
  approve,
  captureReply,
  carryDiscussion,
  deleteReply,
  dueReminders,
  editReply,
  firstDelivery,
  openConcerns,
  raiseConcern,
  resolveConcern,
  SEEN_EVENTS_KEPT,
  sessionForThread,
} from '../../src/team/discussion.js';

const now = new Date('2026-11-25T10:00:00Z');
const at = now.toISOString();

function team() {
  const doc = emptyTeam('T1');
  const session = startSession(doc, { id: 's1', startedBy: 'U1', title: 't', now, channel: 'C1', threadTs: '100.1' });
  return { doc, session };
}

describe('thread capture', () => {
  it('keeps each reply once, in thread order, and reflects edits and deletions', () => {
    const { doc, session } = team();
    expect(captureReply(doc, session, { ts: '100.3', user: 'U2', text: 'second', at })).toBe(true);
    expect(captureReply(doc, session, { ts: '100.2', user: 'U3', text: 'first <!channel>', at })).toBe(true);
    expect(captureReply(doc, session, { ts: '100.2', user: 'U3', text: 'first again', at })).toBe(false);
    expect(editReply(doc, session, '100.3', 'second, edited', at)).toBe(true);
    expect(deleteReply(doc, session, '100.2')).toBe(true);
    expect(deleteReply(doc, session, '100.2')).toBe(false);
    expect(session.replies.map((r) => [r.ts, r.text, r.deleted])).toEqual([
      ['100.2', '', true],
      ['100.3', 'second, edited', false],
    ]);
  });

  it('moves capture to the decision once the session is decided', () => {
    const { doc, session } = team();
    session.decisionNumber = 1;
    doc.decisions.push({
      number: 1,
      title: 't',
      status: 'accepted',
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
      chosen: ['plain-kubernetes'],
      createdBy: 'U1',
      createdAt: at,
      updatedAt: at,
      replies: [],
      concerns: [],
      approvals: [],
      checklistTicks: {},
      history: [],
    });
    captureReply(doc, session, { ts: '100.9', user: 'U2', text: 'late', at });
    expect(doc.decisions[0]?.replies).toHaveLength(1);
    expect(session.replies).toHaveLength(0);
  });

  it('finds the session by its thread only in its channel', () => {
    const { doc } = team();
    expect(sessionForThread(doc, 'C1', '100.1')?.id).toBe('s1');
    expect(sessionForThread(doc, 'C2', '100.1')).toBeUndefined();
  });
});

describe('retries', () => {
  it('sees each event id once and keeps a bounded memory', () => {
    const { doc } = team();
    expect(firstDelivery(doc, 'Ev1')).toBe(true);
    expect(firstDelivery(doc, 'Ev1')).toBe(false);
    for (let i = 0; i < SEEN_EVENTS_KEPT + 10; i++) firstDelivery(doc, `E${i}`);
    expect(doc.seenEvents).toHaveLength(SEEN_EVENTS_KEPT);
    expect(firstDelivery(doc, `E${SEEN_EVENTS_KEPT + 9}`)).toBe(false);
  });
});

describe('concerns and approvals', () => {
  it('counts the same approver once', () => {
    const { session } = team();
    approve(session, { by: 'U2', at });
    approve(session, { by: 'U2', at });
    expect(approve(session, { by: 'U3', at }).map((a) => a.by)).toEqual(['U2', 'U3']);
  });

  it('keeps a concern open until someone resolves it', () => {
    const { session } = team();
    const c = raiseConcern(session, { by: 'U2', text: 'latency?', at });
    expect(openConcerns(session)).toHaveLength(1);
    expect(resolveConcern(session, c.id, 'U1', at)?.resolvedBy).toBe('U1');
    expect(resolveConcern(session, c.id, 'U1', at)).toBeUndefined();
    expect(openConcerns(session)).toHaveLength(0);
  });
});

describe('dueReminders', () => {
  it('lists accepted decisions due on or before today that were not reminded', () => {
    const { doc } = team();
    const base = {
      title: 't',
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
      chosen: ['plain-kubernetes'],
      createdBy: 'U1',
      createdAt: at,
      updatedAt: at,
      replies: [],
      concerns: [],
      approvals: [],
      checklistTicks: {},
      history: [],
    };
    doc.decisions.push(
      { ...base, number: 1, status: 'accepted', revisitOn: '2026-11-25' },
      { ...base, number: 2, status: 'accepted', revisitOn: '2026-11-26' },
      { ...base, number: 3, status: 'superseded', revisitOn: '2026-01-01' },
      { ...base, number: 4, status: 'accepted', revisitOn: '2026-01-01', reminderPostedAt: at },
    );
    expect(dueReminders(doc, '2026-11-25').map((d) => d.number)).toEqual([1]);
  });
});

describe('carryDiscussion', () => {
  it('moves the thread from the session to the decision recorded from it, each item once', () => {
    const { doc, session } = team();
    captureReply(doc, session, { ts: '100.2', user: 'U2', text: 'before', at });
    raiseConcern(session, { by: 'U3', text: 'cost?', at });
    approve(session, { by: 'U4', at });
    const recorded = recordDecision(doc, {
      title: 't',
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
      status: 'accepted',
      by: 'U1',
      now,
      sessionId: 's1',
    });
    if (!recorded.ok) throw new Error(recorded.error.kind);
    session.decisionNumber = recorded.value.number;
    expect(recorded.value.replies.map((r) => r.text)).toEqual(['before']);
    expect(recorded.value.concerns.map((c) => c.text)).toEqual(['cost?']);
    expect(recorded.value.approvals.map((a) => a.by)).toEqual(['U4']);
    expect(session.replies).toEqual([]);
    // An edit after the decision finds the reply captured before it.
    expect(editReply(doc, session, '100.2', 'before, edited', at)).toBe(true);
    expect(doc.decisions[0]?.replies[0]?.text).toBe('before, edited');
    carryDiscussion(session, recorded.value);
    expect(recorded.value.replies).toHaveLength(1);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../src/domain/machine/events.js';
import { recordDecision } from '../../src/domain/machine/record.js';
import { advance, scopeOf } from '../../src/domain/machine/step.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import {
  emptyTeam,
  FileStore,
  type Session,
  sessionOfThread,
  type TeamDoc,
  withRecords,
} from '../../src/store/index.js';
import { openSession } from '../support/sessions.js';

/**
 * A click's step runs on its own session and the record it became (issue #22:
 * a session is a record). These tests hold it to the whole-team step: the
 * same events give the same document either way.
 */
const flow = getFlow();
const now = new Date('2026-12-01T09:00:00Z');
const CHANNEL = 'C0SCOPE';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const store = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-scoped-'));
  dirs.push(d);
  return new FileStore(d, { durable: false });
};

const session = (i: number, over: Partial<Session> = {}) =>
  openSession(i, { teamId: 'T1', channel: CHANNEL, now }, over);

/** Twelve interviews and three records, one of them made from interview 4. */
function team(): TeamDoc {
  const doc = emptyTeam('T1');
  for (let i = 0; i < 12; i++) doc.sessions.push(session(i));
  const answers = { clusters: 'one', pains: ['mtls'] };
  for (let i = 0; i < 3; i++) {
    const r = recordDecision(doc, {
      title: `Record ${i}`,
      answers,
      recommendation: recommend(flow, answers),
      status: 'accepted',
      by: 'U1',
      // Accepted the day before (a step stamps the basis of a record accepted at its own moment).
      now: new Date(now.getTime() - 86_400_000),
    });
    if (!r.ok) throw new Error(r.error.kind);
  }
  const s4 = doc.sessions[4] as Session;
  doc.sessions[4] = { ...s4, status: 'decided', decisionNumber: 2 };
  return doc;
}

const at = (i: number) => ({
  channel: CHANNEL,
  threadTs: `${1_700_000_000 + i}.000100`,
  ts: `${1_700_000_000 + i}.000200`,
});
const EVENTS: Event[] = [
  { type: 'answer', sessionId: 's7', at: at(7), question: 'services', value: '10-49', seenRev: 0, by: 'U2' },
  // Seen before the first answer: stale, refused the same way. Then seen after it (version 2 + 1).
  { type: 'answer', sessionId: 's7', at: at(7), question: 'services', value: '50-plus', seenRev: 0, by: 'U3' },
  { type: 'answer', sessionId: 's7', at: at(7), question: 'services', value: '50-plus', seenRev: 3, by: 'U3' },
  { type: 'ask-again', sessionId: 's7', at: at(7), question: 'fleet', by: 'U2' },
  { type: 'raise-concern', sessionId: 's4', id: 'c1', by: 'U2', text: 'What about <!channel>?' },
  { type: 'resolve-concern', sessionId: 's4', id: 'c1', by: 'U3' },
  { type: 'raise-concern', sessionId: 's9', id: 'c2', by: 'U2', text: 'Cost' },
  { type: 'answer', sessionId: 'missing', at: at(99), question: 'services', value: '10-49', seenRev: 0, by: 'U2' },
];

describe('a click scoped to its session', () => {
  it('gives, event by event, the outcomes and the document of the step over the whole team', async () => {
    const [scoped, whole] = [store(), store()];
    for (const s of [scoped, whole]) await s.update('T1', (d) => Object.assign(d, team()));
    const kinds: string[] = [];
    for (const event of EVENTS) {
      expect(scopeOf(event)).toBeDefined();
      const a = await scoped.update('T1', (d) => advance(flow, d, event, now), scopeOf(event));
      const b = await whole.update('T1', (d) => advance(flow, d, event, now));
      expect(a).toEqual(b);
      kinds.push(a.outcome.kind);
      expect(await scoped.read('T1')).toEqual(await whole.read('T1'));
    }
    expect(kinds).toEqual(['answered', 'stale', 'answered', 'opened', 'raised', 'resolved', 'raised', 'not-found']);
    const doc = await scoped.read('T1');
    expect(doc.sessions.find((s) => s.id === 's7')?.answers.services).toBe('50-plus');
    expect(doc.decisions.find((d) => d.number === 2)?.concerns.map((c) => c.id)).toEqual(['c1']);
    // Saved and read back by another process, the scoped writes are the same document too.
    const d = dirs[0] as string;
    expect(await new FileStore(d).read('T1')).toEqual(await whole.read('T1'));
  });

  it('sees only its session, the record it became and the team fields', async () => {
    const s = store();
    await s.update('T1', (d) => Object.assign(d, team()));
    const seen = await s.update(
      'T1',
      (d) => ({ sessions: d.sessions.map((x) => x.id), decisions: d.decisions.map((x) => x.number), config: d.config }),
      { session: 's4' },
    );
    expect(seen).toEqual({ sessions: ['s4'], decisions: [2], config: { approvals: 0 } });
  });

  it('refuses to remove a record or reorder, and changes nothing', async () => {
    const s = store();
    await s.update('T1', (d) => Object.assign(d, team()));
    const before = await s.read('T1');
    await expect(
      s.update(
        'T1',
        (d) => {
          d.sessions.pop();
        },
        { session: 's3' },
      ),
    ).rejects.toThrow(/removed a record/);
    expect(await s.read('T1')).toBe(before);
  });

  it('keeps the thread index true when a scoped write moves a session to its real thread', async () => {
    const s = store();
    await s.update('T1', (d) => {
      Object.assign(d, team());
      (d.sessions[5] as Session).threadTs = 'pending:abc';
    });
    expect(sessionOfThread(await s.read('T1'), CHANNEL, 'pending:abc')?.id).toBe('s5');
    await s.update(
      'T1',
      (d) => {
        const x = d.sessions.find((y) => y.id === 's5');
        if (x) x.threadTs = '1800000000.000100';
      },
      { session: 's5' },
    );
    const doc = await s.read('T1');
    expect(sessionOfThread(doc, CHANNEL, 'pending:abc')).toBeUndefined();
    expect(sessionOfThread(doc, CHANNEL, '1800000000.000100')?.id).toBe('s5');
    expect(sessionOfThread(doc, CHANNEL, at(6).threadTs)?.id).toBe('s6');
    expect(sessionOfThread(doc, 'C0OTHER', at(6).threadTs)).toBeUndefined();
  });

  it('keeps finding threads and sessions by key after whole-team updates change and add sessions', async () => {
    const s = store();
    await s.update('T1', (d) => Object.assign(d, team()));
    // Built once here, then carried through the updates below.
    expect(sessionOfThread(await s.read('T1'), CHANNEL, at(3).threadTs)?.id).toBe('s3');
    await s.update('T1', (d) => {
      const x = d.sessions.find((y) => y.id === 's3');
      if (x) x.threadTs = '1900000000.000100';
      d.sessions.push(session(40, { threadTs: '1900000040.000100' }));
    });
    await s.update('T1', (d) => advance(flow, d, EVENTS[0] as Event, now), scopeOf(EVENTS[0] as Event));
    const doc = await s.read('T1');
    expect(sessionOfThread(doc, CHANNEL, at(3).threadTs)).toBeUndefined();
    expect(sessionOfThread(doc, CHANNEL, '1900000000.000100')?.id).toBe('s3');
    expect(sessionOfThread(doc, CHANNEL, '1900000040.000100')?.id).toBe('s40');
    expect(sessionOfThread(doc, CHANNEL, at(7).threadTs)?.answers.services).toBe('10-49');
    // A scoped update on the session a whole-team update added finds it.
    expect(await s.update('T1', (d) => d.sessions.map((x) => x.id), { session: 's40' })).toEqual(['s40']);
    // After a removal (a new index), still right.
    await s.update('T1', (d) => {
      d.sessions = d.sessions.filter((x) => x.id !== 's0');
    });
    expect(sessionOfThread(await s.read('T1'), CHANNEL, '1900000040.000100')?.id).toBe('s40');
    expect(await s.update('T1', (d) => d.sessions.map((x) => x.id), { session: 's40' })).toEqual(['s40']);
  });

  it('a copy kept elsewhere (the effects runner’s) never moves a key the store still looks up', async () => {
    const s = store();
    await s.update('T1', (d) => Object.assign(d, team()));
    // A click builds the index the store's next versions share.
    await s.update('T1', (d) => d.sessions.length, { session: 's0' });
    const copy = await s.read('T1');
    // The store goes on: two more sessions, at positions 12 and 13.
    await s.update('T1', (d) => {
      d.sessions.push(session(12), session(13));
    });
    // The copy learns of the second one only (it never held the first).
    const kept = withRecords(
      copy,
      (await s.read('T1')).sessions.find((x) => x.id === 's13'),
    );
    expect(kept.sessions.at(-1)?.id).toBe('s13');
    expect(await s.update('T1', (d) => d.sessions.map((x) => x.id), { session: 's13' })).toEqual(['s13']);
    expect(sessionOfThread(await s.read('T1'), CHANNEL, at(13).threadTs)?.id).toBe('s13');
  });

  it('writes one line of one session to a large team’s log', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mesh-scoped-'));
    dirs.push(d);
    const s = new FileStore(d, { durable: false, logFromBytes: 1024 });
    await s.update('T1', (x) => Object.assign(x, team()));
    const event = EVENTS[0] as Event;
    await s.update('T1', (x) => advance(flow, x, event, now), scopeOf(event));
    const lines = readFileSync(join(d, 'teams', 'T1.json.log'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
    const change = JSON.parse(lines[1] as string);
    expect(change.sessions.map((x: Session) => x.id)).toEqual(['s7']);
    expect(change.decisions).toBeUndefined();
  });
});

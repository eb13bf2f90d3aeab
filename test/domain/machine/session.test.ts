import { describe, expect, it } from 'vitest';
import { answerSession, startSession } from '../../../src/domain/machine/session.js';
import { getFlow } from '../../../src/engine/load.js';
import { emptyTeam } from '../../../src/store/schema.js';

const flow = getFlow();
const now = new Date('2026-11-25T10:00:00Z');

function team() {
  const doc = emptyTeam('T1');
  startSession(doc, { id: 's1', startedBy: 'U1', title: 'Mesh?', now, channel: 'C1', threadTs: '1.1' });
  return doc;
}

describe('answerSession', () => {
  it('bumps the version on each answer and refuses a stale one', () => {
    const doc = team();
    const first = answerSession(flow, doc, 's1', {
      question: 'clusters',
      value: 'one',
      by: 'U1',
      now,
      expectedVersion: 0,
    });
    expect(first.ok && first.value.version).toBe(1);
    const stale = answerSession(flow, doc, 's1', {
      question: 'clusters',
      value: 'multi-region',
      by: 'U2',
      now,
      expectedVersion: 0,
    });
    expect(!stale.ok && stale.error).toEqual({ kind: 'stale', expected: 0, actual: 1 });
    expect(doc.sessions[0]?.answers.clusters).toBe('one');
  });

  it('completes with a recommendation after the last question and reopens when an answer makes a new one due', () => {
    const doc = team();
    for (const q of ['clusters', 'services', 'pains', 'regulated', 'existing_mesh', 'ops']) {
      const value = q === 'clusters' ? 'one' : flow.questionById.get(q)?.default;
      expect(answerSession(flow, doc, 's1', { question: q, value, by: 'U1', now }).ok).toBe(true);
    }
    expect(doc.sessions[0]?.status).toBe('complete');
    expect(doc.sessions[0]?.recommendation?.primary).toBe('plain-kubernetes');
    answerSession(flow, doc, 's1', { question: 'clusters', value: 'multi-region', by: 'U2', now });
    expect(doc.sessions[0]?.status).toBe('open');
    expect(doc.sessions[0]?.recommendation).toBeUndefined();
  });

  it('records who answered and refuses a bad answer without changing anything', () => {
    const doc = team();
    answerSession(flow, doc, 's1', { question: 'clusters', value: 'one', by: 'U9', now });
    const before = structuredClone(doc);
    const bad = answerSession(flow, doc, 's1', { question: 'services', value: 'lots', by: 'U9', now });
    expect(!bad.ok && bad.error.kind).toBe('bad-answer');
    expect(doc).toEqual(before);
    expect(doc.sessions[0]?.answeredBy.clusters?.by).toBe('U9');
  });

  it('refuses answers to a decided session and to an unknown one', () => {
    const doc = team();
    const s = doc.sessions[0];
    if (s) s.status = 'decided';
    expect(answerSession(flow, doc, 's1', { question: 'clusters', value: 'one', by: 'U1', now })).toMatchObject({
      ok: false,
      error: { kind: 'closed' },
    });
    expect(answerSession(flow, doc, 'nope', { question: 'clusters', value: 'one', by: 'U1', now })).toMatchObject({
      ok: false,
      error: { kind: 'not-found' },
    });
  });
});

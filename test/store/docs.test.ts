import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { adopt, exactBytes, serialise, sessionById } from '../../src/store/docs.js';
import { emptyTeam } from '../../src/store/index.js';

describe('serialise', () => {
  it('keeps each cached part in a buffer of exactly its own bytes, not a slice of a shared slab', () => {
    expect(Buffer.from('{"a":1}').buffer.byteLength).toBeGreaterThan(7); // what the pool would have done
    const bytes = exactBytes('{"title":"Zürich – ok"}');
    expect(bytes.toString('utf8')).toBe('{"title":"Zürich – ok"}');
    expect(bytes.buffer.byteLength).toBe(bytes.length);
    expect(bytes.byteOffset).toBe(0);
  });

  it('writes the document as valid JSON, each record in exact-size bytes reused by the next write', () => {
    const flow = getFlow();
    const answers = { clusters: 'one', pains: ['mtls'] };
    const doc = emptyTeam('T1');
    for (const title of ['First', 'Second']) {
      const r = recordDecision(doc, {
        title,
        answers,
        recommendation: recommend(flow, answers),
        status: 'proposed',
        by: 'U1',
        now: new Date('2026-11-25T00:00:00Z'),
      });
      if (!r.ok) throw new Error(r.error.kind);
    }
    adopt(doc);
    const parts = serialise(doc);
    expect(JSON.parse(Buffer.concat(parts).toString('utf8'))).toEqual(doc);
    const records = parts.filter((p) => p.toString('utf8').startsWith('{"number"'));
    expect(records).toHaveLength(2);
    for (const p of records) expect(p.buffer.byteLength).toBe(p.length);
    const again = serialise(doc).filter((p) => p.toString('utf8').startsWith('{"number"'));
    expect(again[0]).toBe(records[0]);
  });
});

describe('sessionById', () => {
  it('finds a session of a stored document through its index: one lookup reads one element, not the team', async () => {
    const { openSession } = await import('../support/sessions.js');
    const doc = emptyTeam('T1');
    for (let i = 0; i < 2000; i++) doc.sessions.push(openSession(i, { teamId: 'T1', channel: 'C1', now: new Date(0) }));
    adopt(doc);
    let reads = 0;
    const counted = new Proxy(doc.sessions, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
        return Reflect.get(target, key, receiver);
      },
    });
    const view = { ...doc, sessions: counted };
    expect(sessionById(view, doc.sessions[1500]?.id ?? '')).toBe(doc.sessions[1500]);
    reads = 0;
    expect(sessionById(view, doc.sessions[7]?.id ?? '')).toBe(doc.sessions[7]);
    expect(sessionById(view, 'no-such-session')).toBeUndefined();
    expect(reads).toBeLessThanOrEqual(2);
  });
});

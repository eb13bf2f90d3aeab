import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { adopt, exactBytes, serialise } from '../../src/store/docs.js';
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

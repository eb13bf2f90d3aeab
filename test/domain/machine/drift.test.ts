import { describe, expect, it } from 'vitest';
import { driftKey } from '../../../src/domain/basis.js';
import { openDrifts } from '../../../src/domain/drift.js';
import type { Event, OutcomeOf } from '../../../src/domain/machine/events.js';
import { step } from '../../../src/domain/machine/step.js';
import type { Flow, Rule, Tool } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { emptyTeam, type TeamDoc } from '../../../src/store/schema.js';

const flow = getFlow();
const T0 = new Date('2026-11-25T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const LEASE = 10 * 60_000;

/** One cluster, mTLS the pain: a service mesh whose first-choice tool is in the catalogue. */
const MTLS = {
  clusters: 'one',
  services: '10-49',
  pains: ['mtls'],
  regulated: 'no',
  existing_mesh: 'none',
  ops: 'platform-team',
  platform: 'self-managed',
  overhead: 'normal',
  other_workloads: ['none'],
};

/** The catalogue as it might read next month: one tool's facts changed. */
function withTool(id: string, change: Partial<Tool>): Flow {
  const tools = flow.tools.tools.map((t) => (t.id === id ? { ...t, ...change } : t));
  return { ...flow, tools: { ...flow.tools, tools }, toolById: new Map(tools.map((t) => [t.id, t])) };
}

/** The rules with one rule's weight changed. */
function withWeight(id: string, weight: number): Flow {
  const rules = flow.rules.rules.map((r: Rule) => (r.id === id ? { ...r, weight } : r));
  return { ...flow, rules: { ...flow.rules, rules } };
}

function run<E extends Event>(f: Flow, doc: TeamDoc, event: E, now: Date) {
  return step(f, doc, event, now);
}

/** A record accepted from the terminal (ADR-0001), given a thread as the Slack side would have. */
function accepted(): TeamDoc {
  const r = run(
    flow,
    emptyTeam('T1'),
    {
      type: 'record',
      id: 't1',
      title: 'Mesh',
      answers: MTLS,
      recommendation: recommend(flow, MTLS),
      accept: true,
      by: 'U1',
    },
    at(0),
  );
  expect(r.outcome.kind).toBe('recorded');
  const doc = structuredClone(r.state) as TeamDoc;
  Object.assign(doc.decisions[0] ?? {}, { channel: 'C1', threadTs: '100.1' });
  return doc;
}

const due = (owner = 'bot-a'): Event => ({ type: 'drift-due', number: 1, owner, leaseMs: LEASE });
const kind = <E extends Event>(o: OutcomeOf<E>) => (o as { kind: string }).kind;

describe('a decision basis kept on acceptance', () => {
  it('an accepted record keeps its chosen tool’s catalogue facts and the advice, not reconstructed', () => {
    const d = accepted().decisions[0];
    expect(d?.basis?.reconstructed).toBe(false);
    expect(d?.basis?.at).toBe(at(0).toISOString());
    expect(d?.basis?.tools.map((t) => t.id)).toEqual(['istio-ambient']);
    expect(d?.basis?.tools[0]).toMatchObject({ status: 'ga', licence: 'Apache-2.0' });
  });

  it('a record accepted before bases were kept gets one reconstructed from its answers when first checked', () => {
    const doc = accepted();
    delete (doc.decisions[0] as { basis?: unknown }).basis;
    const r = run(flow, doc, due(), at(5));
    expect(r.outcome.kind).toBe('no-drift');
    expect(r.state.decisions[0]?.basis?.reconstructed).toBe(true);
    expect(r.state.decisions[0]?.basis?.recommendation).toEqual(recommend(flow, MTLS));
  });

  it('a proposed record gets no basis', () => {
    const r = run(
      flow,
      emptyTeam('T1'),
      {
        type: 'record',
        id: 't1',
        title: 'x',
        answers: MTLS,
        recommendation: recommend(flow, MTLS),
        accept: false,
        by: 'U1',
      },
      at(0),
    );
    expect(r.state.decisions[0]?.basis).toBeUndefined();
  });
});

describe('the drift check', () => {
  it('finds nothing while the catalogue and engine are unchanged, and claims nothing', () => {
    const r = run(flow, accepted(), due(), at(5));
    expect(r.outcome.kind).toBe('no-drift');
    expect(r.effects).toEqual([]);
  });

  it('claims one notice for a changed status, naming both values and the source, and a second bot leaves it alone', () => {
    const changed = withTool('istio-ambient', { status: 'archived' });
    const r = run(changed, accepted(), due(), at(5));
    expect(kind(r.outcome)).toBe('claimed');
    const post = r.effects.find((e) => e.type === 'post-drift');
    expect(post).toMatchObject({ type: 'post-drift', number: 1, recover: false });
    const line = post?.type === 'post-drift' ? post.lines.join('\n') : '';
    expect(line).toContain('from ga to archived');
    expect(line).toContain(flow.toolById.get('istio-ambient')?.source ?? 'no source');
    expect(r.state.decisions[0]?.driftClaimedBy).toBe('bot-a');

    expect(run(changed, r.state, due('bot-b'), at(6)).outcome.kind).toBe('held-by-another');
    // A claim older than the lease is taken over, reading the thread first.
    const late = run(changed, r.state, due('bot-b'), at(20));
    expect(late.effects.find((e) => e.type === 'post-drift')).toMatchObject({ recover: true });
  });

  it('posts nothing again once the change is marked notified, and forgets a change that was undone', () => {
    const changed = withTool('istio-ambient', { licence: 'BUSL-1.1' });
    const r = run(changed, accepted(), due(), at(5));
    const post = r.effects.find((e) => e.type === 'post-drift');
    const doc = structuredClone(r.state) as TeamDoc;
    Object.assign(doc.decisions[0] ?? {}, { driftNotified: post?.type === 'post-drift' ? post.keys : [] });
    expect(run(changed, doc, due(), at(6)).outcome.kind).toBe('no-drift');
    const undone = run(flow, doc, due(), at(7));
    expect(undone.state.decisions[0]?.driftNotified).toEqual([]);
    expect(undone.effects).toEqual([{ type: 'update-record-cards', number: 1 }]);
  });

  it('finds advice drift when a rule’s weight changes what the same answers get', () => {
    const changed = withWeight('mtls-pain', 0);
    const r = run(changed, accepted(), due(), at(5));
    const post = r.effects.find((e) => e.type === 'post-drift');
    expect(post?.type === 'post-drift' && post.keys.some((k) => k.startsWith('advice:'))).toBe(true);
    expect(post?.type === 'post-drift' ? post.lines.join('\n') : '').toContain('instead of Service mesh');
  });
});

describe('acknowledging a drift', () => {
  const changed = withTool('istio-ambient', { status: 'archived' });
  const ack = (reason: string, userTeam = 'T1'): Event => ({
    type: 'acknowledge-drift',
    number: 1,
    by: 'U2',
    byName: 'bob',
    userTeam,
    reason,
  });

  it('refuses an empty reason and another team, changing nothing', () => {
    const doc = accepted();
    const empty = run(changed, doc, ack('   '), at(5));
    expect(empty.outcome).toMatchObject({ kind: 'refused' });
    expect(empty.state).toBe(doc);
    expect(run(changed, doc, ack('ok', 'T9'), at(5)).outcome.kind).toBe('foreign-team');
  });

  it('keeps who, when and why for every open drift; nothing is open after, and the card is redrawn', () => {
    const r = run(changed, accepted(), ack('we run the  vendor build'), at(5));
    expect(kind(r.outcome)).toBe('acknowledged');
    const d = r.state.decisions[0];
    if (!d) throw new Error('no record');
    // An archived first choice is both a tool drift and an advice drift (another tool comes first now).
    const toolKey = driftKey({
      kind: 'tool',
      tool: 'istio-ambient',
      name: '',
      field: 'status',
      from: 'ga',
      to: 'archived',
      source: '',
    });
    expect(d.driftAcks?.map((a) => a.key)).toContain(toolKey);
    expect(d.driftAcks?.map((a) => a.key).sort()).toEqual(
      openDrifts(changed, { ...d, driftAcks: [] })
        .map((v) => v.key)
        .sort(),
    );
    for (const a of d.driftAcks ?? []) {
      expect(a).toEqual({
        key: a.key,
        by: 'U2',
        byName: 'bob',
        at: at(5).toISOString(),
        reason: 'we run the vendor build',
      });
    }
    expect(openDrifts(changed, d)).toEqual([]);
    expect(r.effects.map((e) => e.type)).toEqual(['update-record-cards', 'note-record-thread']);
    expect(run(changed, r.state, due(), at(6)).outcome.kind).toBe('no-drift');
    expect(run(changed, r.state, ack('again'), at(7)).outcome.kind).toBe('nothing-to-acknowledge');
  });
});

describe('a revisit started from a drift notice', () => {
  it('starts with the record’s answers filled in and opens at the recommendation once its root is posted', () => {
    const doc = accepted();
    const r = run(
      flow,
      doc,
      { type: 'start', id: 's2', channel: 'C1', user: 'U2', title: 'Revisit', revisits: 1, prefill: true },
      at(5),
    );
    expect(r.outcome.kind).toBe('reserved');
    const s = r.state.sessions.find((x) => x.id === 's2');
    expect(s?.answers).toEqual(MTLS);
    expect(s?.status).toBe('complete');
    const posted = run(
      flow,
      r.state,
      { type: 'root-posted', sessionId: 's2', threadTs: '500.1', rootTs: '500.1', replies: [] },
      at(6),
    );
    expect(posted.effects.map((e) => e.type)).toEqual(['post-interview', 'post-card']);
  });

  it('asks an answer the interview no longer takes again, and the rest stay filled in', () => {
    const doc = accepted();
    Object.assign(doc.decisions[0]?.answers ?? {}, { ops: 'an-option-that-went' });
    const r = run(
      flow,
      doc,
      { type: 'start', id: 's2', channel: 'C1', user: 'U2', title: 'Revisit', revisits: 1, prefill: true },
      at(5),
    );
    const s = r.state.sessions.find((x) => x.id === 's2');
    expect(s?.answers.ops).toBeUndefined();
    expect(s?.answers.pains).toEqual(['mtls']);
    expect(s?.status).toBe('open');
  });

  it('without prefill a revisit starts empty, as before', () => {
    const r = run(
      flow,
      accepted(),
      { type: 'start', id: 's2', channel: 'C1', user: 'U2', title: 'Revisit', revisits: 1 },
      at(5),
    );
    expect(r.state.sessions.find((x) => x.id === 's2')?.answers).toEqual({});
  });
});

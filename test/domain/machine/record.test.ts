import { describe, expect, it } from 'vitest';
import { isOverride, recordDecision, reopen, transition } from '../../../src/domain/machine/record.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { emptyTeam, TeamDoc } from '../../../src/store/schema.js';

const flow = getFlow();
const answers = { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' };
const recommendation = recommend(flow, answers);
const day1 = new Date('2026-11-25T10:00:00Z');
const day2 = new Date('2026-11-26T10:00:00Z');

function record(doc: TeamDoc, extra: Partial<Parameters<typeof recordDecision>[1]> = {}) {
  const r = recordDecision(doc, {
    title: 'Mesh',
    answers,
    recommendation,
    status: 'accepted',
    by: 'U1',
    now: day1,
    ...extra,
  });
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
}

describe('recordDecision', () => {
  it('numbers records per team and never reuses a number, even behind a stale counter', () => {
    const doc = emptyTeam('T1');
    expect(record(doc).number).toBe(1);
    expect(record(doc).number).toBe(2);
    doc.nextDecisionNumber = 1; // a hand-edited file
    expect(record(doc).number).toBe(3);
    expect(doc.nextDecisionNumber).toBe(4);
    expect(record(emptyTeam('T2')).number).toBe(1);
  });

  it('refuses an override without a reason and keeps both the recommendation and the choice with one', () => {
    const doc = emptyTeam('T1');
    const none = recordDecision(doc, {
      title: 'x',
      answers,
      recommendation,
      chosen: ['service-mesh'],
      overrideReason: '  ',
      status: 'accepted',
      by: 'U1',
      now: day1,
    });
    expect(none.ok || none.error).toEqual({ kind: 'override-needs-reason' });
    expect(doc.decisions).toEqual([]);
    const d = record(doc, { chosen: ['service-mesh'], overrideReason: 'We already run Istio' });
    expect(isOverride(d)).toBe(true);
    expect(d.chosen).toEqual(['service-mesh']);
    expect(d.recommendation.primary).toBe(recommendation.primary);
    expect(d.overrideReason).toBe('We already run Istio');
  });

  it('keeps who decided, with display names, when and a revisit date', () => {
    const d = record(emptyTeam('T1'), { by: 'U7', byName: 'Ada Lovelace' });
    expect(d).toMatchObject({
      createdBy: 'U7',
      createdByName: 'Ada Lovelace',
      decidedBy: 'U7',
      decidedByName: 'Ada Lovelace',
      decidedAt: day1.toISOString(),
    });
    expect(d.revisitOn).toMatch(/^2027-0[25]-\d\d$/);
    expect(TeamDoc.safeParse({ ...emptyTeam('T1'), decisions: [d] }).success).toBe(true);
  });
});

describe('transition', () => {
  it('moves proposed to accepted or rejected, accepted to deprecated, and nothing else', () => {
    const doc = emptyTeam('T1');
    const a = record(doc, { status: 'proposed' });
    const b = record(doc, { status: 'proposed' });
    expect(transition(doc, a.number, 'deprecated', 'U1', day2)).toMatchObject({ ok: false });
    expect(transition(doc, b.number, 'rejected', 'U1', day2)).toMatchObject({ ok: true });
    expect(transition(doc, b.number, 'accepted', 'U1', day2)).toEqual({
      ok: false,
      error: { kind: 'bad-transition', from: 'rejected', to: 'accepted' },
    });
    expect(transition(doc, a.number, 'accepted', 'U1', day2)).toMatchObject({ ok: true });
    expect(transition(doc, a.number, 'deprecated', 'U1', day2, 'moved off Kubernetes')).toMatchObject({ ok: true });
    expect(a.history.map((h) => h.to)).toEqual(['proposed', 'accepted', 'deprecated']);
    expect(a.history.at(-1)?.note).toBe('moved off Kubernetes');
    expect(transition(doc, 99, 'accepted', 'U1', day2)).toEqual({
      ok: false,
      error: { kind: 'not-found', number: 99 },
    });
  });

  it('reaches superseded only through an accepted successor, which links both ways', () => {
    const doc = emptyTeam('T1');
    const old = record(doc);
    expect(transition(doc, old.number, 'superseded', 'U1', day2)).toMatchObject({ ok: false });
    const next = record(doc, { status: 'proposed', supersedes: old.number });
    expect(old.status).toBe('accepted');
    expect(transition(doc, next.number, 'accepted', 'U2', day2, undefined, 'Grace')).toMatchObject({ ok: true });
    expect(old).toMatchObject({ status: 'superseded', supersededBy: next.number, updatedAt: day2.toISOString() });
    expect(next).toMatchObject({ status: 'accepted', supersedes: old.number, decidedByName: 'Grace' });
  });

  it('refuses to supersede a record the team does not have', () => {
    const doc = emptyTeam('T1');
    const r = recordDecision(doc, {
      title: 'x',
      answers,
      recommendation,
      status: 'accepted',
      by: 'U1',
      now: day1,
      supersedes: 4,
    });
    expect(r).toEqual({ ok: false, error: { kind: 'not-found', number: 4 } });
    expect(doc.nextDecisionNumber).toBe(1);
  });
});

describe('reopen', () => {
  it("lets only someone of the record's team reopen it", () => {
    const doc = emptyTeam('T1');
    const d = record(doc);
    expect(reopen(doc, d.number, { by: 'U9', teamId: 'T2' }, day2)).toEqual({
      ok: false,
      error: { kind: 'other-team', teamId: 'T2' },
    });
    expect(d.status).toBe('accepted');
    expect(reopen(doc, d.number, { by: 'U2', teamId: 'T1' }, day2, 'new facts')).toMatchObject({ ok: true });
    expect(d.status).toBe('proposed');
    expect(d.decidedBy).toBeUndefined();
    expect(d.revisitOn).toBeUndefined();
    expect(d.history.at(-1)).toEqual({ at: day2.toISOString(), by: 'U2', to: 'proposed', note: 'new facts' });
  });

  it('reinstates the record a reopened successor had superseded, and keeps superseded records closed', () => {
    const doc = emptyTeam('T1');
    const old = record(doc);
    const next = record(doc, { supersedes: old.number });
    expect(reopen(doc, old.number, { by: 'U1', teamId: 'T1' }, day2)).toEqual({
      ok: false,
      error: { kind: 'bad-transition', from: 'superseded', to: 'proposed' },
    });
    expect(reopen(doc, next.number, { by: 'U1', teamId: 'T1' }, day2)).toMatchObject({ ok: true });
    expect(old.status).toBe('accepted');
    expect(old.supersededBy).toBeUndefined();
    expect(transition(doc, next.number, 'accepted', 'U1', day2)).toMatchObject({ ok: true });
    expect(old).toMatchObject({ status: 'superseded', supersededBy: next.number });
  });
});

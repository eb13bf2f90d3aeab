import { describe, expect, it } from 'vitest';
import * as team from '../../src/domain/machine/record.js';
import { DecisionStatus } from '../../src/domain/model.js';
import {
  adrId,
  answerLabels,
  canReopen,
  choiceView,
  chosenNames,
  decisionConsequences,
  decisionDrivers,
  decisionOutcomes,
  isOverride,
  patternName,
  patternNameList,
  REOPENABLE,
  recommendedPatterns,
  recordActions,
  statusLabel,
  strongestReasons,
  toolFitsPlatform,
} from '../../src/domain/presentation.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { decisionCardMessage } from '../../src/slack/blocks/decision-card.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { type Decision, emptyTeam, type TeamDoc } from '../../src/store/index.js';

const flow = getFlow();
const now = new Date('2026-11-25T10:00:00Z');
// Three layers that do different jobs (advice v3 no longer stacks a cluster mesh under a mesh that carries mTLS).
const multiRegion = {
  clusters: 'multi-region',
  services: '50-plus',
  pains: ['region-failover', 'flaky-calls'],
  cni: 'cilium',
  network: 'flat',
};
const rec = recommend(flow, multiRegion);

/** A record as the team's life cycle makes it (recordDecision), with what the test overrides. */
function record(over: Partial<Pick<Decision, 'chosen' | 'overrideReason'>> = {}): Decision {
  const doc = emptyTeam('T1');
  const r = team.recordDecision(doc, {
    title: 'Mesh for payments',
    answers: multiRegion,
    recommendation: rec,
    status: 'accepted',
    by: 'U1',
    now,
    ...over,
  });
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
}

/** A team with one record in `status`, reached the way people reach it. */
function teamWith(status: DecisionStatus): TeamDoc {
  const doc = emptyTeam('T1');
  const first = team.recordDecision(doc, {
    title: 'First',
    answers: multiRegion,
    recommendation: rec,
    status: status === 'proposed' || status === 'rejected' ? 'proposed' : 'accepted',
    by: 'U1',
    now,
  });
  if (!first.ok) throw new Error(first.error.kind);
  if (status === 'rejected') team.transition(doc, 1, 'rejected', 'U1', now);
  if (status === 'deprecated') team.transition(doc, 1, 'deprecated', 'U1', now);
  if (status === 'superseded') {
    team.recordDecision(doc, {
      title: 'Second',
      answers: multiRegion,
      recommendation: rec,
      status: 'accepted',
      by: 'U1',
      now,
      supersedes: 1,
    });
  }
  expect(doc.decisions[0]?.status).toBe(status);
  return doc;
}

describe('answer labels', () => {
  it("gives each chosen option's label, in the answer's order", () => {
    expect(answerLabels(flow, 'pains', ['region-failover', 'mtls'])).toEqual([
      'Surviving the loss of a whole region',
      'Encrypting and authenticating calls (mTLS)',
    ]);
    expect(answerLabels(flow, 'clusters', 'multi-region')).toEqual(['Clusters in several regions']);
  });

  it('keeps the id of an option or question the flow no longer has, and gives nothing for no answer', () => {
    expect(answerLabels(flow, 'pains', ['mtls', 'gone'])).toEqual([
      'Encrypting and authenticating calls (mTLS)',
      'gone',
    ]);
    expect(answerLabels(flow, 'no-such-question', 'x')).toEqual(['x']);
    expect(answerLabels(flow, 'clusters', undefined)).toEqual([]);
  });
});

describe('pattern names and choice', () => {
  it('names patterns from the catalogue, and an unknown one by its id', () => {
    expect(patternName(flow, 'cluster-mesh')).toBe('Cluster mesh');
    expect(patternNameList(flow, ['service-mesh', 'retired'])).toEqual(['Service mesh', 'retired']);
  });

  it('shows what was chosen, and on an override what was recommended and the reason', () => {
    expect(choiceView(flow, record())).toEqual({
      chosen: ['Cluster mesh', 'Multi-cluster without a mesh', 'Service mesh'],
      override: undefined,
    });
    expect(choiceView(flow, record({ chosen: ['federation'], overrideReason: 'one API for all' }))).toEqual({
      chosen: ['Federation'],
      override: {
        recommended: ['Cluster mesh', 'Multi-cluster without a mesh', 'Service mesh'],
        reason: 'one API for all',
      },
    });
  });
});

describe('decision drivers', () => {
  it('cite the answers the chosen patterns rest on, with the option labels of each cited question', () => {
    const drivers = decisionDrivers(flow, record());
    const byQuestion = Object.fromEntries(drivers.answers.map((a) => [a.question, a.labels]));
    expect(byQuestion).toEqual({
      services: ['50 or more'],
      pains: ['Surviving the loss of a whole region', 'Flaky calls (retries, timeouts, cascades)'],
      clusters: ['Clusters in several regions'],
      cni: ['Cilium'],
      network: ['Yes, pod IPs are routable and unique'],
    });
    expect(drivers.answers.find((a) => a.question === 'cni')?.prompt).toBe(flow.questionById.get('cni')?.prompt);
    // Only reasons for the adopted, recommended patterns: nothing argued against plain Kubernetes or federation.
    expect(new Set(drivers.answers.map((a) => a.pattern))).toEqual(
      new Set(['service-mesh', 'cluster-mesh', 'multi-cluster-without-mesh']),
    );
    expect(drivers.warnings).toEqual(rec.warnings);
    expect(drivers.warnings.length).toBeGreaterThan(0);
    expect(drivers.teamReason).toBeUndefined();
  });

  it("keep only the adopted patterns' reasons when the team dropped one layer", () => {
    const d = record({ chosen: ['service-mesh'], overrideReason: 'one region is enough for now' });
    const drivers = decisionDrivers(flow, d);
    expect(new Set(drivers.answers.map((a) => a.pattern))).toEqual(new Set(['service-mesh']));
    expect(drivers.answers.map((a) => a.question)).toEqual(['services', 'pains']);
    expect(drivers.teamReason).toBe('one region is enough for now');
  });

  it("fall back to the recommendation's reasons when the team chose none of it", () => {
    const d = { ...record({ chosen: ['federation'], overrideReason: 'x' }), overrideReason: '   ' };
    const drivers = decisionDrivers(flow, d);
    expect(drivers.answers.map((a) => a.pattern)).toContain('cluster-mesh');
    expect(drivers.answers.map((a) => a.pattern)).not.toContain('federation');
    // A blank reason is no reason.
    expect(drivers.teamReason).toBeUndefined();
  });

  it('mark an unanswered cited question and one the flow lost, instead of inventing labels', () => {
    const d = { ...record(), answers: { services: '50-plus' } };
    d.recommendation = {
      ...rec,
      reasons: [...rec.reasons, { pattern: 'service-mesh', question: 'gone', because: 'x' }],
    };
    const drivers = decisionDrivers(flow, d);
    expect(drivers.answers.find((a) => a.question === 'clusters')).toMatchObject({ labels: undefined });
    expect(drivers.answers.find((a) => a.question === 'clusters')?.prompt).toBeDefined();
    expect(drivers.answers.find((a) => a.question === 'gone')).toMatchObject({ prompt: undefined, labels: undefined });
  });
});

describe('consequences', () => {
  it("are the chosen pattern's pros and cons, untagged when one pattern was chosen, then the warnings", () => {
    const c = decisionConsequences(flow, record({ chosen: ['service-mesh'], overrideReason: 'one layer' }));
    const mesh = flow.patternById.get('service-mesh');
    expect(c).toEqual({
      patterns: [{ pattern: 'service-mesh', name: 'Service mesh', good: mesh?.pros, bad: mesh?.cons }],
      tagged: false,
      warnings: rec.warnings,
    });
  });

  it('are tagged with their pattern when several were chosen, and skip a pattern the catalogue lost', () => {
    const c = decisionConsequences(flow, { ...record(), chosen: ['cluster-mesh', 'retired'] });
    expect(c.tagged).toBe(true);
    expect(c.patterns.map((p) => p.name)).toEqual(['Cluster mesh']);
    expect(c.patterns[0]?.bad).toEqual(flow.patternById.get('cluster-mesh')?.cons);
  });
});

describe('life-cycle actions of a record', () => {
  it('offers per status what the team may do: reject a proposal, reopen a decided record, deprecate an accepted one', () => {
    expect(Object.fromEntries(DecisionStatus.options.map((s) => [s, recordActions(s)]))).toEqual({
      proposed: ['reject'],
      accepted: ['reopen', 'deprecate'],
      rejected: ['reopen'],
      deprecated: ['reopen'],
      superseded: [],
    });
    expect(REOPENABLE).toEqual(['accepted', 'rejected', 'deprecated']);
  });

  it('agrees with what the record machine (domain/machine/record.ts) enforces, status by status', () => {
    for (const status of DecisionStatus.options) {
      const actions = recordActions(status);
      expect(team.reopen(teamWith(status), 1, { by: 'U1', teamId: 'T1' }, now).ok, `reopen ${status}`).toBe(
        actions.includes('reopen'),
      );
      expect(team.transition(teamWith(status), 1, 'rejected', 'U1', now).ok, `reject ${status}`).toBe(
        actions.includes('reject'),
      );
      expect(team.transition(teamWith(status), 1, 'deprecated', 'U1', now).ok, `deprecate ${status}`).toBe(
        actions.includes('deprecate'),
      );
      expect(canReopen(status)).toBe(actions.includes('reopen'));
    }
  });

  it("are the decision card's buttons, in that order", () => {
    for (const status of DecisionStatus.options) {
      const doc = teamWith(status);
      const d = doc.decisions[0] as Decision;
      const card = decisionCardMessage(flow, d, { teamId: 'T1', decisions: doc.decisions });
      const ids = card.blocks.flatMap((b) =>
        b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : undefined)) : [],
      );
      expect(ids).toEqual([ACTIONS.exportMenu, ...recordActions(status).map((a) => ACTIONS[a])]);
    }
  });
});

describe('record identity and status wording', () => {
  it('cites numbers as ADR-NNNN and names a successor in the superseded status', () => {
    expect(adrId(7)).toBe('ADR-0007');
    expect(adrId(12345)).toBe('ADR-12345');
    expect(statusLabel({ status: 'superseded', supersededBy: 7 })).toBe('superseded by ADR-0007');
    expect(statusLabel({ status: 'superseded' })).toBe('superseded');
    expect(statusLabel({ status: 'accepted', supersededBy: 7 })).toBe('accepted');
  });

  it('matches the copies domain/machine/record.ts still keeps until it imports these', () => {
    expect(team.adrId(42)).toBe(adrId(42));
    expect(team.recommendedPatterns(rec)).toEqual(recommendedPatterns(rec));
    for (const chosen of [['service-mesh'], recommendedPatterns(rec), [...recommendedPatterns(rec)].reverse()]) {
      const d = { chosen, recommendation: rec };
      expect(team.isOverride(d)).toBe(isOverride(d));
    }
    expect(isOverride({ chosen: [...recommendedPatterns(rec)].reverse(), recommendation: rec })).toBe(false);
    expect(isOverride({ chosen: ['service-mesh'], recommendation: rec })).toBe(true);
  });
});

describe('what to do first (issue #17)', () => {
  it('names what was chosen tool first, and the pattern where the recommendation gave it no tool', () => {
    const d = record();
    const firsts = rec.tools.filter((t) => t.fit === 'first-choice').map((t) => flow.toolById.get(t.tool)?.name);
    expect(chosenNames(flow, d)).toEqual(firsts);
    const override = record({ chosen: ['federation'], overrideReason: 'we run Karmada' });
    expect(chosenNames(flow, override)).toEqual(['Federation']);
  });

  it('gives consequences from the answers: warnings, readiness checks, tools ruled out and what is set aside', () => {
    const d = record();
    const lines = decisionOutcomes(flow, d);
    for (const w of rec.warnings) expect(lines).toContain(w);
    expect(lines).toContain(`${rec.checklist.length} readiness checks to finish before the first cluster changes.`);
    for (const t of rec.tools.filter((x) => x.fit === 'avoid'))
      expect(lines).toContain(`Not ${flow.toolById.get(t.tool)?.name}: ${t.because}`);
    expect(lines.at(-1)).toBe(`Set aside for now: ${patternNameList(flow, rec.notNow).join(', ')}.`);
    // No generic pros and cons of the pattern catalogue.
    for (const p of flow.patterns) for (const pro of p.pros) expect(lines).not.toContain(pro);
  });

  it('keeps the strongest reason of each recommended layer, then the heaviest, one per reason, at most three', () => {
    const lines = strongestReasons(flow, rec, multiRegion);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const p of recommendedPatterns(rec)) expect(lines.some((l) => l.pattern === p)).toBe(true);
    expect(new Set(lines.map((l) => l.because)).size).toBe(lines.length);
    // Each rests on the part of the answer its rule tested: one pain, not every pain ticked.
    for (const l of lines.filter((x) => x.question === 'pains')) expect(l.answer).toHaveLength(1);
  });

  it('offers a cloud’s own product only on that cloud, and never an archived tool or ended service', () => {
    const tool = (id: string) => {
      const t = flow.toolById.get(id);
      if (!t) throw new Error(id);
      return t;
    };
    expect(toolFitsPlatform(tool('aws-vpc-lattice'), 'eks')).toBe(true);
    expect(toolFitsPlatform(tool('aws-vpc-lattice'), 'gke')).toBe(false);
    expect(toolFitsPlatform(tool('aws-vpc-lattice'), 'mixed')).toBe(true);
    expect(toolFitsPlatform(tool('gke-cloud-service-mesh'), 'self-managed')).toBe(false);
    expect(toolFitsPlatform(tool('cilium-clustermesh'), 'aks')).toBe(true);
    for (const t of flow.tools.tools.filter((x) => x.status === 'archived' || x.status === 'service-ended'))
      for (const p of ['self-managed', 'eks', 'gke', 'aks', 'openshift', 'mixed'])
        expect(toolFitsPlatform(t, p)).toBe(false);
  });
});

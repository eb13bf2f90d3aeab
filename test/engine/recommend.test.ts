import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';

const flow = getFlow();
const rec = (answers: Answers) => recommend(flow, answers);
const cited = (r: ReturnType<typeof rec>, pattern: string) =>
  r.reasons.filter((x) => x.pattern === pattern).map((x) => x.question);

describe('recommend: the guide’s own examples', () => {
  it('the e-commerce team with flaky calls, mTLS by rule and canaries gets a service mesh', () => {
    const r = rec({
      clusters: 'one',
      services: '10-49',
      pains: ['flaky-calls', 'mtls', 'canary', 'tracing'],
      regulated: 'yes',
      deploys: 'daily',
      ops: 'platform-team',
    });
    expect(r.primary).toBe('service-mesh');
    expect(r.complements).toEqual([]);
    expect(r.notNow).toEqual(expect.arrayContaining(['cluster-mesh', 'federation']));
    expect(cited(r, 'service-mesh')).toEqual(expect.arrayContaining(['pains', 'regulated', 'deploys']));
    expect(cited(r, 'cluster-mesh')).toContain('clusters');
  });

  it('Oregon and Frankfurt clusters that must fail over get a cluster mesh, not a service mesh', () => {
    const r = rec({
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover'],
      cni: 'cilium',
      l7_between_clusters: 'no',
      ops: 'platform-team',
    });
    expect(r.primary).toBe('cluster-mesh');
    expect(r.complements).not.toContain('service-mesh');
    expect(r.notNow).toContain('federation');
    expect(cited(r, 'cluster-mesh')).toEqual(expect.arrayContaining(['pains', 'cni']));
  });

  it('one Deployment spread over US and EU clusters gets federation and the KubeFed warning', () => {
    const r = rec({ clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' });
    expect(r.primary).toBe('federation');
    expect(r.warnings.join(' ')).toMatch(/KubeFed/);
    expect(cited(r, 'federation')).toContain('pains');
  });

  it('a small team with no pain is told to stay on plain Kubernetes', () => {
    const r = rec({ clusters: 'one', services: 'under-10', pains: ['none'], ops: 'part-time' });
    expect(r.primary).toBe('plain-kubernetes');
    expect(r.complements).toEqual([]);
    expect(r.notNow).toEqual(expect.arrayContaining(['service-mesh', 'cluster-mesh', 'federation']));
    expect(r.warnings).toEqual([]);
  });
});

describe('recommend: more situations', () => {
  it('an empty answers file takes every default and recommends no mesh', () => {
    expect(rec({}).primary).toBe('plain-kubernetes');
  });

  it('many services, daily releases and canaries across clusters combine cluster mesh and service mesh', () => {
    const r = rec({
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['region-failover', 'canary'],
      cni: 'cilium',
      l7_between_clusters: 'yes',
      deploys: 'daily',
      ops: 'platform-team',
    });
    expect([r.primary, ...r.complements].sort()).toEqual(['cluster-mesh', 'service-mesh']);
    expect(cited(r, 'service-mesh')).toContain('l7_between_clusters');
  });

  it('one workload in many clusters that also call each other gets federation with a cluster mesh', () => {
    const r = rec({
      clusters: 'several-same-region',
      pains: ['one-workload-many-clusters', 'cross-cluster-calls'],
      cni: 'cilium',
      ops: 'platform-team',
    });
    expect([r.primary, ...r.complements].sort()).toEqual(['cluster-mesh', 'federation']);
    expect(r.notNow).toContain('service-mesh');
  });

  it('a regulated team with only a handful of services still gets a service mesh', () => {
    const r = rec({ services: 'under-10', pains: ['mtls'], regulated: 'yes', ops: 'platform-team' });
    expect(r.primary).toBe('service-mesh');
    expect(r.notNow).toContain('plain-kubernetes');
    expect(cited(r, 'plain-kubernetes')).toContain('regulated');
  });

  it('tracing alone in a small system is left to instrumentation', () => {
    const r = rec({ services: 'under-10', pains: ['tracing'] });
    expect(r.primary).toBe('plain-kubernetes');
    expect(cited(r, 'plain-kubernetes')).toContain('pains');
  });

  it('failover with a CNI that cannot join clusters goes multi-cluster without a mesh', () => {
    const r = rec({ clusters: 'multi-region', pains: ['region-failover'], cni: 'other', ops: 'platform-team' });
    expect(r.primary).toBe('multi-cluster-without-mesh');
    expect(r.complements).not.toContain('cluster-mesh');
    expect(r.notNow).toContain('cluster-mesh');
  });

  it('never recommends alternatives together (cluster mesh and multi-cluster without a mesh)', () => {
    const r = rec({ clusters: 'multi-region', pains: ['region-failover', 'cross-cluster-calls'], cni: 'calico' });
    const named = [r.primary, ...r.complements];
    expect(named.includes('cluster-mesh') && named.includes('multi-cluster-without-mesh')).toBe(false);
  });

  it('an unknown CNI still allows a cluster mesh but warns to find out first', () => {
    const r = rec({ clusters: 'multi-region', pains: ['region-failover'], ops: 'platform-team' });
    expect(r.primary).toBe('cluster-mesh');
    expect(r.warnings.join(' ')).toMatch(/CNI/);
  });

  it('several clusters with no cross-cluster pain argue against cluster mesh and federation', () => {
    const r = rec({ clusters: 'several-same-region', services: '50-plus', pains: ['flaky-calls'], cni: 'cilium' });
    expect(r.primary).toBe('service-mesh');
    expect(r.notNow).toEqual(expect.arrayContaining(['cluster-mesh', 'federation']));
    expect(cited(r, 'cluster-mesh')).toContain('pains');
  });

  it('tight overhead with a strong mesh case warns to go sidecar-less', () => {
    const r = rec({ services: '50-plus', pains: ['mtls', 'flaky-calls'], overhead: 'tight', ops: 'platform-team' });
    expect(r.primary).toBe('service-mesh');
    expect(r.warnings.join(' ')).toMatch(/sidecar-less/);
  });

  it('questions that do not apply are ignored: cni with one cluster changes nothing', () => {
    expect(rec({ clusters: 'one', pains: ['flaky-calls'], cni: 'cilium' })).toEqual(
      rec({ clusters: 'one', pains: ['flaky-calls'] }),
    );
  });
});

describe('recommend: contradictions and risks', () => {
  it('warns that one cluster cannot survive a region outage', () => {
    const r = rec({ clusters: 'one', pains: ['region-failover'] });
    expect(r.warnings.join(' ')).toMatch(/single cluster cannot survive/i);
    expect(r.primary).not.toBe('cluster-mesh');
  });

  it('warns when "none" is chosen with other pains', () => {
    const r = rec({ pains: ['none', 'mtls'] });
    expect(r.warnings.join(' ')).toMatch(/None of these/);
  });

  it('warns about a mesh with nobody to run it', () => {
    const r = rec({ services: '50-plus', pains: ['mtls', 'canary', 'flaky-calls'], regulated: 'yes', ops: 'none' });
    expect(r.primary).toBe('service-mesh');
    expect(r.warnings.join(' ')).toMatch(/nobody would run it/);
  });

  it('warns that a regulated team without a mesh must do mTLS itself', () => {
    const r = rec({ regulated: 'yes', ops: 'none' });
    expect(r.primary).toBe('plain-kubernetes');
    expect(r.warnings.join(' ')).toMatch(/mTLS itself/);
  });

  it('warns when clusters in one region are expected to survive a region outage', () => {
    const r = rec({ clusters: 'several-same-region', pains: ['region-failover'] });
    expect(r.warnings.join(' ')).toMatch(/one region/);
  });

  it('warns about a cross-cluster pain with only one cluster', () => {
    expect(rec({ clusters: 'one', pains: ['one-workload-many-clusters'] }).warnings.join(' ')).toMatch(
      /only one cluster/,
    );
  });
});

// A small deterministic generator, so the invariants are checked on many answer sets.
function* answerSets(count: number): Generator<Answers> {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < count; i++) {
    const answers: Answers = {};
    for (const q of flow.interview.questions) {
      if (rand() < 0.15) continue;
      const ids = q.options.map((o) => o.id);
      answers[q.id] =
        q.kind === 'multi' ? ids.filter(() => rand() < 0.3) : (ids[Math.floor(rand() * ids.length)] as string);
    }
    yield answers;
  }
}

describe('recommend: the contract holds for every answer set', () => {
  it('keeps primary, complements and notNow apart, and backs every named pattern with a cited reason', () => {
    const patterns = new Set(flow.patternById.keys());
    const questions = new Set(flow.questionById.keys());
    for (const answers of answerSets(3000)) {
      const r = rec(answers);
      const named = [r.primary, ...r.complements, ...r.notNow];
      expect(new Set(named).size, JSON.stringify(answers)).toBe(named.length);
      for (const p of named) {
        expect(patterns.has(p)).toBe(true);
        expect(
          r.reasons.some((x) => x.pattern === p),
          `${p} has no reason for ${JSON.stringify(answers)}`,
        ).toBe(true);
      }
      for (const reason of r.reasons) expect(questions.has(reason.question)).toBe(true);
      expect(r.complements).not.toContain('plain-kubernetes');
    }
  });

  it('is deterministic', () => {
    for (const answers of answerSets(50)) expect(rec(answers)).toEqual(rec(structuredClone(answers)));
  });
});

describe('recommend: reasons do not contradict the answers', () => {
  it('does not claim nothing crosses clusters when calls between clusters need routing', () => {
    const r = recommend(flow, {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['canary'],
      l7_between_clusters: 'yes',
    });
    expect(r.primary).toBe('service-mesh');
    expect(r.reasons.map((x) => x.because).join(' ')).not.toMatch(/Nothing needs to reach/);
  });
});

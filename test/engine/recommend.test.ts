import { describe, expect, it } from 'vitest';
import { completeAnswers, holds, withoutNoneBesideChoices } from '../../src/engine/answers.js';
import type { Answers } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { advise, recommend } from '../../src/engine/recommend.js';

const flow = getFlow();
const rec = (answers: Answers) => recommend(flow, answers);
/** The recommendation without `sensitivity`, for the property loops (sensitivity has tests of its own). */
const adv = (answers: Answers) => advise(flow, answers);
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

  it('one Deployment spread over US and EU clusters gets federation, with KubeFed to avoid', () => {
    const r = rec({ clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' });
    expect(r.primary).toBe('federation');
    expect(r.tools).toContainEqual(
      expect.objectContaining({ tool: 'kubefed', fit: 'avoid', because: expect.stringMatching(/archived/) }),
    );
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

  it('canaries across clusters get one service mesh spanning them, with the global load balancer in front', () => {
    const r = rec({
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['region-failover', 'canary'],
      cni: 'cilium',
      l7_between_clusters: 'yes',
      deploys: 'daily',
      ops: 'platform-team',
    });
    expect(r.primary).toBe('service-mesh');
    expect(r.complements).toEqual(['multi-cluster-without-mesh']);
    expect(cited(r, 'service-mesh')).toContain('l7_between_clusters');
    expect(cited(r, 'cluster-mesh')).toContain('l7_between_clusters');
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

  it('cross-cluster calls on a Cilium network get a cluster mesh without gateways beside it', () => {
    const r = rec({ clusters: 'multi-region', pains: ['cross-cluster-calls'], cni: 'cilium', network: 'flat' });
    const named = [r.primary, ...r.complements];
    expect(named).toContain('cluster-mesh');
    expect(named).not.toContain('multi-cluster-without-mesh');
  });

  it('an unknown CNI and network are treated cautiously: the global load balancer now, internal failover named', () => {
    const r = rec({ clusters: 'multi-region', pains: ['region-failover'], ops: 'platform-team' });
    expect(r.primary).toBe('multi-cluster-without-mesh');
    expect(r.notNow).toContain('cluster-mesh');
    expect(r.warnings.join(' ')).toMatch(/find out the\s+CNI/);
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
    expect(r.warnings.join(' ')).toMatch(/Overhead is tight/);
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

  it('gives nobody-to-run-it teams no self-managed mesh, and says what that gives up', () => {
    const r = rec({ services: '50-plus', pains: ['mtls', 'canary', 'flaky-calls'], regulated: 'yes', ops: 'none' });
    expect(r.primary).toBe('plain-kubernetes');
    expect(r.warnings.join(' ')).toMatch(/Nobody would run a self-managed service mesh/);
    expect(r.warnings.join(' ')).toMatch(/mTLS between services is left unaddressed/);
  });

  it('warns that a regulated team without a mesh must do mTLS itself', () => {
    const r = rec({ regulated: 'yes', ops: 'none' });
    expect(r.primary).toBe('plain-kubernetes');
    expect(r.warnings.join(' ')).toMatch(/every service must do TLS itself/);
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
      const r = adv(answers);
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

  it('places all five patterns, each exactly once', () => {
    for (const answers of answerSets(2000)) {
      const r = adv(answers);
      expect([r.primary, ...r.complements, ...r.notNow].sort(), JSON.stringify(answers)).toEqual(
        [...flow.patternById.keys()].sort(),
      );
    }
  });

  it('gives every recommended layer exactly one usable first-choice tool and a checklist, and never offers a dead tool', () => {
    for (const answers of answerSets(2000)) {
      const r = adv(answers);
      const why = JSON.stringify(answers);
      const recommended = [r.primary, ...r.complements];
      for (const t of r.tools) {
        const tool = flow.toolById.get(t.tool);
        expect(tool?.pattern, why).toBe(t.pattern);
        expect(recommended, why).toContain(t.pattern);
        expect(t.because.length, why).toBeGreaterThan(0);
        if (t.fit !== 'avoid') expect(['archived', 'service-ended'], why).not.toContain(tool?.status);
      }
      for (const p of recommended) {
        const firsts = r.tools.filter((t) => t.pattern === p && t.fit === 'first-choice');
        if (p === 'plain-kubernetes') expect(firsts.length, why).toBeLessThanOrEqual(1);
        else {
          expect(firsts, `${p} ${why}`).toHaveLength(1);
          expect(r.checklist.filter((c) => c.pattern === p).length, `${p} ${why}`).toBeGreaterThan(0);
        }
      }
      for (const c of r.checklist) expect(recommended).toContain(c.pattern);
    }
  });

  it('names every pain the recommendation leaves unaddressed in a warning', () => {
    // Which layer takes care of which pain, written here independently of flows/rules.yaml.
    const handles = (pain: string, a: Answers): string[] => {
      const traffic = a.traffic as string | undefined;
      switch (pain) {
        case 'flaky-calls':
        case 'tracing':
          return ['service-mesh', 'plain-kubernetes'];
        case 'mtls':
          return ['service-mesh'];
        case 'canary':
          return traffic === 'user-facing' ? ['service-mesh', 'plain-kubernetes'] : ['service-mesh'];
        case 'cross-cluster-calls':
          return ['cluster-mesh', 'multi-cluster-without-mesh', 'service-mesh'];
        case 'one-workload-many-clusters':
          return ['federation'];
        default:
          return [];
      }
    };
    const mention: Record<string, RegExp> = {
      'flaky-calls': /flaky calls/i,
      tracing: /tracing/i,
      mtls: /mTLS/,
      canary: /canar/i,
      'cross-cluster-calls': /between clusters/i,
      'one-workload-many-clusters': /workload once/i,
    };
    for (const given of answerSets(2000)) {
      const a = withoutNoneBesideChoices(flow, completeAnswers(flow, given));
      if (a.clusters === 'one') continue;
      const r = adv(given);
      const recommended = [r.primary, ...r.complements];
      for (const pain of a.pains as string[]) {
        const by = handles(pain, a);
        if (by.length === 0 || by.some((p) => recommended.includes(p))) continue;
        expect(
          r.warnings.some((w) => mention[pain]?.test(w)),
          `${pain} unaddressed without a warning: ${JSON.stringify(given)} → ${recommended}`,
        ).toBe(true);
      }
    }
  });

  it('gives no reason that contradicts an answer: each comes from a rule whose condition holds', () => {
    const stock = [
      ...flow.rules.fallback.reasons.map((r) => ({ ...r, pattern: flow.rules.fallback.pattern })),
      ...flow.rules.notNowFallback,
    ];
    // A layer that left for one path per call, or for a capability no tool of it has, says so.
    const layerName = (p: string) => (flow.patternById.get(p)?.name ?? p).replace(/^./, (c) => c.toLowerCase());
    const leaving = [
      ...flow.rules.onePath.map((o) => ({ pattern: o.drop, because: o.because })),
      ...flow.tools.needs.flatMap((n) =>
        n.patterns.map((p) => ({ pattern: p, because: n.layer.replaceAll('{layer}', layerName(p)) })),
      ),
    ];
    for (const given of answerSets(2000)) {
      const a = withoutNoneBesideChoices(flow, completeAnswers(flow, given));
      const r = adv(given);
      for (const reason of r.reasons) {
        const why = `${reason.because} for ${JSON.stringify(given)}`;
        expect(a[reason.question], `cites an unasked question: ${why}`).toBeDefined();
        const rule = flow.rules.rules.find((x) => x.pattern === reason.pattern && x.because === reason.because);
        if (rule) {
          expect(holds(rule.when, a), why).toBe(true);
          continue;
        }
        if (leaving.some((x) => x.pattern === reason.pattern && x.because === reason.because)) {
          expect(r.notNow, why).toContain(reason.pattern);
          continue;
        }
        const s = stock.find((x) => x.pattern === reason.pattern && x.because === reason.because);
        expect(s, `reason from nowhere: ${why}`).toBeDefined();
        if (s?.when) expect(holds(s.when, a), why).toBe(true);
      }
      const all = [...r.reasons.map((x) => x.because), ...r.warnings].join(' ');
      if (!(a.pains as string[]).includes('none'))
        expect(all, JSON.stringify(given)).not.toMatch(/Nothing hurts today/);
      if (a.ops !== 'none') expect(all, JSON.stringify(given)).not.toMatch(/nobody would/i);
      if (a.clusters !== 'one') expect(all, JSON.stringify(given)).not.toMatch(/With a single cluster/);
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

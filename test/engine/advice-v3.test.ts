import { describe, expect, it } from 'vitest';
import { completeAnswers, holds, withoutNoneBesideChoices } from '../../src/engine/answers.js';
import type { Answers, CapabilityNeed, Flow, Tool } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { advise, type Recommendation, recommend } from '../../src/engine/recommend.js';

const flow = getFlow();

/** The answers the engine decides on: defaults filled in, "none" beside a pain dropped. */
const decided = (given: Answers) => withoutNoneBesideChoices(flow, completeAnswers(flow, given));
const recommendedOf = (r: Recommendation) => [r.primary, ...r.complements];
const firstOf = (r: Recommendation, pattern: string) =>
  r.tools.find((t) => t.pattern === pattern && t.fit === 'first-choice')?.tool;
const fitOf = (r: Recommendation, tool: string) => r.tools.find((t) => t.tool === tool)?.fit;
const tool = (id: string): Tool => {
  const t = flow.toolById.get(id);
  if (!t) throw new Error(`no tool ${id}`);
  return t;
};
const show = (r: Recommendation) =>
  JSON.stringify({ primary: r.primary, complements: r.complements, tools: r.tools, warnings: r.warnings });

/** The capability needs that hold for a pattern's tools with these answers and layers. */
const needsOf = (pattern: string, a: Answers, named: ReadonlySet<string>): CapabilityNeed[] =>
  flow.tools.needs.filter((n) => n.patterns.includes(pattern) && holds(n.when, a, named));

/** What a tool can give for a need on a platform (managed: the team runs no control plane of it). */
const has = (t: Tool, n: CapabilityNeed, platform: string) =>
  n.capability === 'managed'
    ? t.can.controlPlane !== 'self-managed' || t.can.managedOn.includes(platform)
    : t.can[n.capability];

const MULTI = { clusters: 'multi-region', ops: 'platform-team' } as const;

describe('defect 1: a tool is offered only when its documented capabilities cover what the answers need', () => {
  const cases: { name: string; answers: Answers; tool: string; limit: RegExp }[] = [
    {
      name: 'a managed mesh without VM support is not chosen when VMs must join',
      answers: { platform: 'aks', services: '50-plus', pains: ['mtls'], other_workloads: ['vms'], ops: 'part-time' },
      tool: 'aks-istio-addon',
      limit: /WorkloadEntry/,
    },
    {
      name: 'a managed mesh without Windows support is not chosen on clusters with Windows nodes',
      answers: { platform: 'aks', services: '50-plus', pains: ['mtls'], other_workloads: ['windows-nodes'] },
      tool: 'aks-istio-addon',
      limit: /Windows Server containers/,
    },
    {
      name: 'a single-cluster managed mesh is not chosen when the mesh must span clusters',
      answers: { ...MULTI, platform: 'aks', services: '50-plus', pains: ['mtls', 'cross-cluster-calls'] },
      tool: 'aks-istio-addon',
      limit: /multi-cluster/,
    },
    {
      name: 'a cluster mesh that needs routable pod networks is not chosen when CIDRs overlap',
      answers: { ...MULTI, cni: 'cilium', network: 'overlapping', pains: ['cross-cluster-calls'] },
      tool: 'cilium-clustermesh',
      limit: /non-overlapping/,
    },
    {
      name: 'a managed Cilium datapath (AKS) is not treated as a self-managed ClusterMesh',
      answers: { ...MULTI, platform: 'aks', cni: 'cilium', network: 'flat', pains: ['cross-cluster-calls'] },
      tool: 'cilium-clustermesh',
      limit: /preview/,
    },
    {
      name: 'a managed Cilium datapath (GKE Dataplane V2) is not treated as a self-managed ClusterMesh',
      answers: { ...MULTI, platform: 'gke', cni: 'cilium', network: 'flat', pains: ['region-failover'] },
      tool: 'cilium-clustermesh',
      limit: /Dataplane V2/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = advise(flow, c.answers);
      const fit = fitOf(r, c.tool);
      expect(fit === 'first-choice' || fit === 'alternative', show(r)).toBe(false);
      if (recommendedOf(r).includes(tool(c.tool).pattern)) {
        expect(fit, show(r)).toBe('avoid');
        expect(r.tools.find((t) => t.tool === c.tool)?.because, show(r)).toMatch(c.limit);
      }
    });
  }

  const platformOwn: { name: string; answers: Answers; first: string }[] = [
    {
      name: 'on OpenShift, a mesh that spans clusters is OpenShift Service Mesh, not upstream Istio',
      answers: { ...MULTI, platform: 'openshift', services: '50-plus', pains: ['mtls', 'cross-cluster-calls'] },
      first: 'openshift-service-mesh',
    },
    {
      name: 'on AKS, a single-cluster mesh that needs nothing the add-on lacks is the add-on',
      answers: { platform: 'aks', services: '50-plus', pains: ['mtls', 'flaky-calls'], ops: 'platform-team' },
      first: 'aks-istio-addon',
    },
    {
      name: 'on GKE, a mesh across clusters is the managed Cloud Service Mesh',
      answers: { ...MULTI, platform: 'gke', services: '50-plus', pains: ['mtls', 'cross-cluster-calls'] },
      first: 'gke-cloud-service-mesh',
    },
  ];
  for (const c of platformOwn) {
    it(c.name, () => {
      const r = advise(flow, c.answers);
      expect(firstOf(r, 'service-mesh'), show(r)).toBe(c.first);
    });
  }

  it('a tool whose sources document a needed capability goes before one whose sources are silent, and the silence is a warning', () => {
    const answers: Answers = {
      platform: 'gke',
      services: '50-plus',
      pains: ['mtls'],
      regulated: 'yes',
      fips: 'yes',
      ops: 'platform-team',
    };
    const r = advise(flow, answers);
    expect(tool(firstOf(r, 'service-mesh') ?? '').can.fips, show(r)).toBe(true);
    const alone = advise(flow, { ...answers, ops: 'none' });
    expect(firstOf(alone, 'service-mesh')).toBe('gke-cloud-service-mesh');
    expect(alone.warnings.join(' ')).toMatch(/Our sources do not say whether Cloud Service Mesh \(GKE\) can use FIPS/);
  });

  it('a team on a mix of platforms is never told it runs self-managed Cilium', () => {
    const r = advise(flow, { ...MULTI, platform: 'mixed', cni: 'cilium', network: 'flat', pains: ['region-failover'] });
    const text = [...r.reasons.map((x) => x.because), ...r.tools.map((t) => t.because)].join(' ');
    expect(text).not.toMatch(/already run self-managed|run Cilium you manage|run Cilium that you manage/);
  });

  it('ties between layers do not depend on the catalogue’s order either', () => {
    const reversed: Flow = { ...flow, patterns: [...flow.patterns].reverse() };
    const layers = (r: Recommendation) => [r.primary, [...r.complements].sort()];
    for (const answers of sample(300)) {
      expect(layers(advise(reversed, answers)), JSON.stringify(answers)).toEqual(layers(advise(flow, answers)));
    }
  });

  it('ties between capable tools do not depend on the catalogue’s order', () => {
    const reversed: Flow = {
      ...flow,
      tools: { ...flow.tools, tools: [...flow.tools.tools].reverse(), choices: [...flow.tools.choices].reverse() },
    };
    const fits = (r: Recommendation) => r.tools.map((t) => `${t.pattern}:${t.tool}:${t.fit}`).sort();
    for (const answers of sample(300)) {
      expect(fits(advise(reversed, answers)), JSON.stringify(answers)).toEqual(fits(advise(flow, answers)));
    }
  });
});

describe('defect 2: one path per call', () => {
  const cases: { name: string; answers: Answers }[] = [
    {
      name: 'a mesh that carries mTLS calls across clusters gets no cluster mesh beneath it',
      answers: {
        ...MULTI,
        cni: 'cilium',
        network: 'flat',
        services: '50-plus',
        pains: ['cross-cluster-calls', 'mtls'],
      },
    },
    {
      name: 'a mesh that carries calls across clusters gets no exported services or VPC Lattice beside it',
      answers: {
        ...MULTI,
        platform: 'eks',
        cni: 'other',
        network: 'gateways-only',
        services: '50-plus',
        pains: ['cross-cluster-calls', 'mtls'],
      },
    },
    {
      name: 'a cluster mesh that carries the calls gets no exported services beside it',
      answers: { ...MULTI, cni: 'cilium', network: 'flat', pains: ['cross-cluster-calls', 'cluster-failover'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = advise(flow, c.answers);
      expect(eastWestCarriers(r, decided(c.answers)).length, show(r)).toBeLessThanOrEqual(1);
      expect(r.warnings.join(' ')).not.toMatch(/decide which one carries/);
    });
  }

  it('a global load balancer in front and a mesh behind do different jobs and stay together', () => {
    const r = advise(flow, {
      ...MULTI,
      services: '50-plus',
      network: 'overlapping',
      pains: ['region-failover', 'mtls', 'cross-cluster-calls'],
      traffic: 'both',
      data: 'replicated',
    });
    expect(recommendedOf(r).sort()).toEqual(['multi-cluster-without-mesh', 'service-mesh']);
    expect(tool(firstOf(r, 'multi-cluster-without-mesh') ?? '').can.carries).toEqual(['north-south']);
  });

  it('a layer left out because another carries its calls is "not now" with that reason', () => {
    const r = advise(flow, cases[0]?.answers ?? {});
    expect(r.notNow).toContain('cluster-mesh');
    expect(r.reasons.some((x) => x.pattern === 'cluster-mesh' && /second path/.test(x.because))).toBe(true);
  });
});

describe('defect 3: risks against what is recommended stay visible', () => {
  const cases: { name: string; answers: Answers }[] = [
    {
      name: 'part-time owners of a multi-region cluster mesh',
      answers: {
        clusters: 'multi-region',
        cni: 'cilium',
        network: 'flat',
        pains: ['cross-cluster-calls'],
        ops: 'part-time',
      },
    },
    {
      name: 'a cluster mesh on an unknown CNI',
      answers: { ...MULTI, network: 'flat', pains: ['cross-cluster-calls', 'region-failover'], traffic: 'internal' },
    },
    {
      name: 'a fleet of more than 50 clusters',
      answers: { ...MULTI, fleet: '51-plus', cni: 'cilium', network: 'flat', pains: ['cross-cluster-calls'] },
    },
  ];
  for (const c of cases) {
    it(`every argument that fired against a recommended layer is a warning: ${c.name}`, () => {
      const r = advise(flow, c.answers);
      const missing = firedAgainst(r, decided(c.answers)).filter((text) => !r.warnings.includes(text));
      expect(missing, show(r)).toEqual([]);
      expect(r.warnings.length, show(r)).toBeGreaterThan(0);
    });
  }
});

describe('defect 4: ownership is a constraint', () => {
  const none: Answers[] = [
    { services: '50-plus', pains: ['mtls', 'canary', 'flaky-calls'], regulated: 'yes', ops: 'none' },
    {
      ...MULTI,
      ops: 'none',
      cni: 'cilium',
      network: 'flat',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls'],
    },
    { platform: 'openshift', services: '50-plus', pains: ['mtls', 'flaky-calls'], ops: 'none' },
    { ...MULTI, ops: 'none', pains: ['one-workload-many-clusters'] },
  ];
  for (const answers of none) {
    it(`nobody to run it never gets a self-managed control plane: ${JSON.stringify(answers)}`, () => {
      const r = advise(flow, answers);
      const platform = String(decided(answers).platform);
      for (const p of recommendedOf(r)) {
        const first = firstOf(r, p);
        if (!first) continue;
        const t = tool(first);
        expect(t.can.controlPlane === 'self-managed' && !t.can.managedOn.includes(platform), show(r)).toBe(false);
      }
      if (r.primary === 'plain-kubernetes') expect(r.warnings.join(' '), show(r)).toMatch(/Nobody would run/);
    });
  }

  it('a mesh that already runs is not taken out for want of an owner, and the team is told to name one', () => {
    const r = advise(flow, { existing_mesh: 'istio', services: '50-plus', pains: ['flaky-calls'], ops: 'none' });
    expect(r.primary, show(r)).toBe('service-mesh');
    expect(firstOf(r, 'service-mesh')).toBe('istio-sidecar');
    expect(r.warnings.join(' ')).toMatch(/A mesh already runs but nobody would own it/);
    expect(r.warnings.join(' ')).not.toMatch(/only a managed offering is recommended/);
  });

  const partTime: Answers[] = [
    {
      ...MULTI,
      ops: 'part-time',
      network: 'gateways-only',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls'],
    },
    { platform: 'aks', ops: 'part-time', services: '50-plus', pains: ['mtls', 'flaky-calls'] },
  ];
  for (const answers of partTime) {
    it(`part-time owners get the lightest capable tool first: ${JSON.stringify(answers)}`, () => {
      const r = advise(flow, answers);
      for (const p of recommendedOf(r)) {
        const offered = r.tools.filter((t) => t.pattern === p && t.fit !== 'avoid').map((t) => tool(t.tool));
        const [first, ...rest] = offered;
        if (!first) continue;
        for (const t of rest) expect(first.can.upkeep, show(r)).toBeLessThanOrEqual(t.can.upkeep);
      }
    });
  }
});

describe('defect 5: every sentence follows the answers', () => {
  const text = (r: Recommendation) =>
    [...r.checklist.map((c) => `${c.item} ${c.because}`), ...r.warnings, ...r.reasons.map((x) => x.because)].join('\n');
  const cases: { name: string; answers: Answers; never: RegExp }[] = [
    {
      name: 'no gateway in every network when the network is flat',
      answers: {
        ...MULTI,
        network: 'flat',
        cni: 'calico',
        services: '50-plus',
        pains: ['cross-cluster-calls', 'mtls'],
      },
      never: /gateway in (every|each) network/,
    },
    {
      name: 'no "before the first install" when the mesh already runs',
      answers: { existing_mesh: 'istio', services: '50-plus', pains: ['flaky-calls'], ops: 'platform-team' },
      never: /first install|before installing Istio/,
    },
    {
      name: 'no "before installing Istio" when Istio already runs across Cilium clusters',
      answers: {
        ...MULTI,
        existing_mesh: 'istio',
        cni: 'cilium',
        network: 'flat',
        services: '50-plus',
        pains: ['cross-cluster-calls', 'mtls'],
      },
      never: /before installing Istio|first install/,
    },
    {
      name: 'no "other region" when all clusters share one region',
      answers: {
        clusters: 'several-same-region',
        pains: ['region-failover', 'cluster-failover'],
        traffic: 'user-facing',
        ops: 'platform-team',
      },
      never: /the other region/,
    },
    {
      name: 'no cluster id "at install" on clusters that already run Cilium',
      answers: { ...MULTI, cni: 'cilium', network: 'flat', pains: ['cross-cluster-calls'] },
      never: /at install time|when you install Cilium/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = advise(flow, c.answers);
      expect(text(r), show(r)).not.toMatch(c.never);
    });
  }

  const steps: { name: string; answers: Answers; item: RegExp }[] = [
    {
      name: 'Istio on Cilium needs Cilium’s two settings',
      answers: {
        ...MULTI,
        cni: 'cilium',
        network: 'gateways-only',
        services: '50-plus',
        pains: ['cross-cluster-calls', 'mtls'],
      },
      item: /socketLB\.hostNamespaceOnly=true.*cni\.exclusive=false/,
    },
    {
      name: 'Istio locality failover needs outlier detection',
      answers: {
        ...MULTI,
        network: 'overlapping',
        services: '50-plus',
        pains: ['region-failover', 'mtls'],
        traffic: 'internal',
        data: 'replicated',
      },
      item: /outlier detection/,
    },
    {
      name: 'east-west calls across regions cost inter-region transfer',
      answers: { ...MULTI, cni: 'cilium', network: 'flat', pains: ['cross-cluster-calls'] },
      item: /inter-region data transfer/,
    },
  ];
  for (const c of steps) {
    it(`the known step is on the checklist: ${c.name}`, () => {
      const r = advise(flow, c.answers);
      expect(r.checklist.map((x) => x.item).join('\n'), show(r)).toMatch(c.item);
    });
  }
});

describe('defect 6: topology and mode apart', () => {
  it('a multi-cluster Istio first choice carries its mode and has no Istio mode as an alternative', () => {
    const r = recommend(flow, {
      ...MULTI,
      network: 'overlapping',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls'],
    });
    const first = r.tools.find((t) => t.pattern === 'service-mesh' && t.fit === 'first-choice');
    expect(first?.tool).toBe('istio-multicluster');
    expect(first?.mode).toBe('sidecar');
    const projects = r.tools.filter((t) => t.fit === 'alternative').map((t) => tool(t.tool).project);
    expect(projects).not.toContain('istio');
  });
});

describe('defect 7: tools that do not apply are not shown', () => {
  const cases: { name: string; answers: Answers; absent: string[] }[] = [
    {
      name: 'a team that runs Istio is not offered another mesh',
      answers: { existing_mesh: 'istio', services: '50-plus', pains: ['flaky-calls', 'mtls'], ops: 'platform-team' },
      absent: ['linkerd', 'linkerd-multicluster', 'consul', 'cilium-service-mesh'],
    },
    {
      name: 'a team that runs Istio across clusters is not told about other meshes either',
      answers: {
        ...MULTI,
        platform: 'aks',
        existing_mesh: 'istio',
        cni: 'cilium',
        network: 'flat',
        services: '50-plus',
        pains: ['canary', 'mtls'],
        traffic: 'internal',
        l7_between_clusters: 'yes',
      },
      absent: ['linkerd', 'linkerd-multicluster', 'consul', 'cilium-service-mesh'],
    },
    {
      name: 'a team without Cilium is not told to avoid Cilium Service Mesh',
      answers: { services: '50-plus', pains: ['mtls'], ops: 'platform-team' },
      absent: ['cilium-service-mesh'],
    },
    {
      name: 'an EKS team sees no other cloud’s products and no ended service it does not run',
      answers: {
        ...MULTI,
        platform: 'eks',
        services: '50-plus',
        pains: ['mtls', 'region-failover', 'cross-cluster-calls'],
        network: 'overlapping',
      },
      absent: [
        'aks-istio-addon',
        'gke-cloud-service-mesh',
        'openshift-service-mesh',
        'multi-cluster-gateway',
        'aws-app-mesh',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = advise(flow, c.answers);
      for (const id of c.absent)
        expect(
          r.tools.map((t) => t.tool),
          show(r),
        ).not.toContain(id);
    });
  }

  const clouds: { platform: string; products: RegExp; source: RegExp }[] = [
    { platform: 'eks', products: /Route 53.*Global Accelerator/, source: /docs\.aws\.amazon\.com/ },
    { platform: 'gke', products: /global external Application Load Balancer/, source: /cloud\.google\.com/ },
    { platform: 'aks', products: /Front Door.*Traffic Manager/, source: /learn\.microsoft\.com/ },
  ];
  for (const c of clouds) {
    it(`on ${c.platform} the global load balancer names that cloud’s products with a source`, () => {
      const r = advise(flow, {
        ...MULTI,
        platform: c.platform,
        pains: ['region-failover'],
        traffic: 'user-facing',
        data: 'replicated',
      });
      const gslb = r.tools.find((t) => t.tool === 'global-load-balancer');
      expect(gslb?.because, show(r)).toMatch(c.products);
      expect(gslb?.sources?.join(' ')).toMatch(c.source);
    });
  }
});

describe('sensitivity: what would change this recommendation', () => {
  it('names a one-answer change that flips the primary, and that change really flips it', () => {
    const answers: Answers = {
      clusters: 'multi-region',
      cni: 'calico',
      network: 'flat',
      pains: ['region-failover'],
      traffic: 'internal',
      data: 'replicated',
      ops: 'platform-team',
    };
    const r = recommend(flow, answers);
    expect(r.primary).toBe('cluster-mesh');
    const entry = r.sensitivity?.find((s) => s.question === 'ops' && s.alternative === 'none');
    expect(entry).toMatchObject({
      question: 'ops',
      answer: 'platform-team',
      alternative: 'none',
      primary: 'plain-kubernetes',
    });
    expect(entry?.tools).toContainEqual({ pattern: 'cluster-mesh', from: 'submariner', to: null });
    expect(entry?.because).toMatch(/Nobody yet/);
    expect(recommend(flow, { ...answers, ops: 'none' }).primary).toBe('plain-kubernetes');
  });

  it('lists exactly the single answers that change the primary or a first choice', () => {
    for (const answers of sample(12)) {
      const r = recommend(flow, answers);
      const firsts = (x: Recommendation) =>
        Object.fromEntries(x.tools.filter((t) => t.fit === 'first-choice').map((t) => [t.pattern, t.tool]));
      for (const s of r.sensitivity ?? []) {
        const alt = advise(flow, { ...answers, [s.question]: s.alternative });
        expect(alt.primary !== r.primary || JSON.stringify(firsts(alt)) !== JSON.stringify(firsts(r))).toBe(true);
        if (s.primary !== undefined) expect(alt.primary).toBe(s.primary);
        else expect(alt.primary).toBe(r.primary);
        for (const t of s.tools) expect(firsts(alt)[t.pattern] ?? null).toBe(t.to);
      }
      // A single-choice answer not listed changes neither.
      const a = completeAnswers(flow, answers);
      for (const q of flow.interview.questions) {
        if (q.kind !== 'single' || a[q.id] === undefined) continue;
        for (const o of q.options) {
          if (o.id === a[q.id] || r.sensitivity?.some((s) => s.question === q.id && s.alternative === o.id)) continue;
          const alt = advise(flow, { ...answers, [q.id]: o.id });
          expect(alt.primary, `${q.id}=${o.id} for ${JSON.stringify(answers)}`).toBe(r.primary);
          expect(firsts(alt)).toEqual(firsts(r));
        }
      }
    }
  });
});

describe('advice v3 properties, for every answer set', () => {
  it('no recommended pattern without its risks: every argument against it is a warning', () => {
    for (const given of sample(1500)) {
      const r = advise(flow, given);
      const missing = firedAgainst(r, decided(given)).filter((t) => !r.warnings.includes(t));
      expect(missing, JSON.stringify(given)).toEqual([]);
    }
  });

  it('no first choice or alternative lacks a capability the answers need', () => {
    for (const given of sample(1500)) {
      const a = decided(given);
      const r = advise(flow, given);
      const named = new Set(recommendedOf(r));
      for (const t of r.tools) {
        if (t.fit === 'avoid') continue;
        const tl = tool(t.tool);
        for (const n of needsOf(t.pattern, a, named)) {
          if (n.carrying && !tl.can.carries.includes(n.carrying)) continue;
          expect(has(tl, n, String(a.platform)), `${t.tool} lacks ${n.capability}: ${JSON.stringify(given)}`).not.toBe(
            false,
          );
        }
        if (tl.can.platforms) expect(tl.can.platforms, JSON.stringify(given)).toContain(a.platform);
      }
    }
  });

  it('no two recommended layers carry the same calls between clusters', () => {
    for (const given of sample(1500)) {
      const r = advise(flow, given);
      expect(eastWestCarriers(r, decided(given)).length, `${show(r)} ${JSON.stringify(given)}`).toBeLessThanOrEqual(1);
    }
  });

  it('no checklist item whose conditions do not hold', () => {
    for (const given of sample(1500)) {
      const a = decided(given);
      const r = advise(flow, given);
      const named = new Set(recommendedOf(r));
      for (const c of r.checklist) {
        const entries = flow.checklist.items.filter((e) => e.item === c.item && e.pattern === c.pattern);
        const fits = entries.some((e) => {
          const tools = e.tool === undefined ? [] : Array.isArray(e.tool) ? e.tool : [e.tool];
          const first = firstOf(r, e.pattern);
          return (
            (tools.length === 0 || (first !== undefined && tools.includes(first))) &&
            (!e.when || holds(e.when, a, named))
          );
        });
        expect(fits, `${c.item} for ${JSON.stringify(given)}`).toBe(true);
      }
    }
  });
});

/** The layers that carry calls between clusters: a cluster mesh, a spanning mesh, an east-west tool. */
function eastWestCarriers(r: Recommendation, a: Answers): string[] {
  const named = new Set(recommendedOf(r));
  return recommendedOf(r).filter((p) => {
    if (p === 'cluster-mesh') return true;
    const first = firstOf(r, p);
    if (!first) return false;
    if (p === 'service-mesh') return needsOf(p, a, named).some((n) => n.capability === 'spansClusters');
    return tool(first).can.carries.includes('east-west');
  });
}

/** The `against` rules that fired for the recommended layers, and those of their first-choice tools. */
function firedAgainst(r: Recommendation, a: Answers): string[] {
  const named = new Set(recommendedOf(r));
  const firsts = new Set(r.tools.filter((t) => t.fit === 'first-choice').map((t) => t.tool));
  const layers = flow.rules.rules
    .filter((x) => x.effect !== 'support' && named.has(x.pattern) && holds(x.when, a))
    .map((x) => x.because);
  const tools = flow.tools.choices
    .filter((c) => c.effect === 'against' && (Array.isArray(c.tool) ? c.tool : [c.tool]).some((t) => firsts.has(t)))
    .filter((c) => !c.when || holds(c.when, a, named))
    .map((c) => c.because);
  return [...layers, ...tools];
}

/** Deterministic varied answer sets (the same generator idea as recommend.test.ts, another seed). */
function* sample(count: number): Generator<Answers> {
  let seed = 7;
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

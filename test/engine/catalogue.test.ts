import { describe, expect, it } from 'vitest';
import type { Tool } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';

const flow = getFlow();
const tool = (id: string): Tool => {
  const t = flow.toolById.get(id);
  if (!t) throw new Error(`no tool ${id}`);
  return t;
};
/** Everything the bot may say about a tool: summary, facts and the reasons its rules give. */
const said = (id: string): string =>
  [
    tool(id).summary,
    ...tool(id).facts.map((f) => f.text),
    ...flow.tools.choices.filter((c) => (Array.isArray(c.tool) ? c.tool : [c.tool]).includes(id)).map((c) => c.because),
  ].join('\n');

describe('the catalogue carries the fact sheet’s December 2026 corrections, each with its own source', () => {
  const corrections: { tool: string; claim: RegExp; source: RegExp; never?: RegExp }[] = [
    {
      tool: 'karmada',
      claim: /Graduated in the CNCF on 3 September 2026/,
      source: /github\.com\/cncf\/toc\/issues\/1572/,
      never: /incubating/,
    },
    {
      tool: 'k8gb',
      claim: /CNCF incubating since 18 July 2026/,
      source: /github\.com\/cncf\/landscape\/pull\/4945/,
      never: /sandbox/,
    },
    { tool: 'open-cluster-management', claim: /sandbox/, source: /cncf\.io\/projects\/open-cluster-management/ },
    { tool: 'submariner', claim: /sandbox/, source: /cncf\.io\/projects\/submariner/ },
    {
      tool: 'skupper',
      claim: /2\.x needs cluster-admin/,
      source: /red_hat_service_interconnect\/2\.0/,
      never: /no cluster-admin rights/,
    },
    {
      tool: 'calico-enterprise-cluster-mesh',
      claim: /own VXLAN or WireGuard overlay.*non-overlapping pod CIDRs/,
      source: /docs\.tigera\.io\/.*multicluster\/federation/,
    },
    {
      tool: 'aks-istio-addon',
      claim:
        /no multi-cluster, no Windows Server containers, WorkloadEntry and WorkloadGroup blocked.*no GAMMA, no ambient/,
      source: /learn\.microsoft\.com\/azure\/aks\/istio-about#limitations/,
    },
    {
      tool: 'cilium-clustermesh',
      claim: /Cluster IDs run from 1 to max-connected-clusters \(255 by default, up to 511/,
      source: /docs\.cilium\.io/,
    },
    {
      tool: 'cilium-clustermesh',
      claim: /On AKS or GKE Dataplane V2 the Cilium datapath is managed/,
      source: /learn\.microsoft\.com\/azure\/kubernetes-fleet\/concepts-cross-cluster-networking/,
    },
    {
      tool: 'istio-multicluster',
      claim: /BoringCrypto module with TLS 1\.2/,
      source: /istio\/istio\/discussions\/50599/,
    },
    { tool: 'istio-multicluster', claim: /outlier detection/, source: /locality-load-balancing\/failover/ },
    { tool: 'openshift-service-mesh', claim: /installed in FIPS mode/, source: /installing-fips/ },
    {
      tool: 'openshift-service-mesh',
      claim: /3\.x .* multi-cluster topologies/,
      source: /red_hat_openshift_service_mesh\/3/,
    },
    { tool: 'global-load-balancer', claim: /Route 53 .* Global Accelerator/, source: /docs\.aws\.amazon\.com/ },
    { tool: 'global-load-balancer', claim: /global external Application Load Balancer/, source: /cloud\.google\.com/ },
    { tool: 'global-load-balancer', claim: /Front Door or Traffic Manager/, source: /learn\.microsoft\.com/ },
  ];
  for (const c of corrections) {
    it(`${c.tool}: ${c.claim.source}`, () => {
      const t = tool(c.tool);
      const fact = t.facts.find((f) => c.claim.test(f.text));
      expect(fact, t.facts.map((f) => f.text).join('\n')).toBeDefined();
      expect(fact?.source).toMatch(c.source);
      expect(fact?.checked).toBe('2026-12');
      expect(t.checked).toBe('2026-12');
      if (c.never) expect(said(c.tool)).not.toMatch(c.never);
    });
  }

  it('the AKS add-on’s documented limits are its capabilities', () => {
    const { can } = tool('aks-istio-addon');
    expect([can.spansClusters, can.vms, can.windows, can.gamma, can.ambient]).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(can.controlPlane).toBe('managed');
    expect(can.platforms).toEqual(['aks']);
  });

  it('the Fleet Manager cluster mesh is named as a preview, not for production, with its source', () => {
    const rule = flow.tools.choices.find(
      (c) => c.tool === 'cilium-clustermesh' && c.effect === 'avoid' && /AKS/.test(c.because),
    );
    expect(rule?.because).toMatch(/preview.*not for production/);
    expect(rule?.source).toMatch(/kubernetes-fleet\/concepts-cross-cluster-networking/);
  });
});

describe('sources document the claim they stand beside', () => {
  it('no page is the source of claims about two different projects', () => {
    const projectsBySource = new Map<string, Set<string>>();
    for (const t of flow.tools.tools) {
      for (const url of [t.source, ...t.facts.map((f) => f.source)]) {
        const set = projectsBySource.get(url) ?? new Set();
        set.add(t.project);
        projectsBySource.set(url, set);
      }
    }
    const shared = [...projectsBySource]
      .filter(([, projects]) => projects.size > 1)
      .map(([url, p]) => `${url}: ${[...p]}`);
    expect(shared).toEqual([]);
  });

  it('no two facts of one tool cite the same page', () => {
    for (const t of flow.tools.tools) {
      const seen = new Map<string, string>();
      for (const f of t.facts) {
        const before = seen.get(f.source);
        expect(before, `${t.id}: "${before}" and "${f.text}" cite ${f.source}`).toBeUndefined();
        seen.set(f.source, f.text);
      }
    }
  });

  it('every tool was checked no earlier than its latest fact', () => {
    for (const t of flow.tools.tools) {
      const latest =
        t.facts
          .map((f) => f.checked)
          .sort()
          .at(-1) ?? '';
      expect(t.checked >= latest, t.id).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { Topology, topologyOf } from '../../src/engine/topology.js';
import { TOPOLOGY_PROFILES } from '../diagram/profiles.js';

const flow = getFlow();
const topo = (answers: Answers) => topologyOf(flow, answers, recommend(flow, answers));
const kinds = (t: Topology) => t.nodes.map((n) => n.kind);

const ISTIO_ACROSS: Answers = {
  clusters: 'multi-region',
  services: '50-plus',
  pains: ['cross-cluster-calls', 'mtls'],
  l7_between_clusters: 'yes',
  existing_mesh: 'istio',
  ops: 'platform-team',
};

describe('topologyOf', () => {
  it('gives a model its zod schema accepts, whose edges join drawn nodes, for every profile', () => {
    for (const p of TOPOLOGY_PROFILES) {
      const t = topo(p.answers);
      expect(Topology.safeParse(t).success, p.name).toBe(true);
      const ids = new Set(t.nodes.map((n) => n.id));
      expect(ids.size).toBe(t.nodes.length);
      for (const e of t.edges) expect(ids.has(e.from) && ids.has(e.to), `${p.name}: ${e.from} -> ${e.to}`).toBe(true);
    }
  });

  it('draws east-west gateways when only gateways are reachable or networks overlap, never on a flat network', () => {
    const of = (network: string) => topo({ ...ISTIO_ACROSS, network });
    expect(kinds(of('gateways-only')).filter((k) => k === 'gateway')).toHaveLength(2);
    expect(kinds(of('overlapping')).filter((k) => k === 'gateway')).toHaveLength(2);
    const flat = of('flat');
    expect(kinds(flat)).not.toContain('gateway');
    expect(flat.crossing).toBe('direct');
    expect(flat.notes).toEqual([]);
  });

  it('says the network is unknown instead of inventing gateways', () => {
    const t = topo({ ...ISTIO_ACROSS, network: 'unknown' });
    expect(kinds(t)).not.toContain('gateway');
    expect(t.crossing).toBe('unknown');
    expect(t.notes.join(' ')).toMatch(/not known yet/);
    expect(t.summary).toMatch(/not known yet/);
  });

  it('puts one shared root CA in only when the mesh spans clusters', () => {
    const across = topo({ ...ISTIO_ACROSS, network: 'flat' });
    expect(kinds(across)).toContain('trust-root');
    const trustEdges = across.edges.filter((e) => e.kind === 'trust');
    expect(trustEdges.map((e) => e.to).sort()).toEqual(['cluster_1_mesh', 'cluster_2_mesh']);
    const single = topo({
      clusters: 'one',
      services: '50-plus',
      pains: ['mtls'],
      regulated: 'yes',
      ops: 'platform-team',
    });
    expect(kinds(single)).toContain('mesh');
    expect(kinds(single)).not.toContain('trust-root');
  });

  it('puts a global load balancer in front for failover of user traffic, not of internal calls only', () => {
    const base: Answers = {
      clusters: 'multi-region',
      pains: ['region-failover'],
      ops: 'platform-team',
      network: 'flat',
    };
    const users = topo({ ...base, traffic: 'user-facing' });
    expect(kinds(users)).toEqual(expect.arrayContaining(['users', 'global-lb']));
    const lb = users.nodes.find((n) => n.kind === 'global-lb');
    expect(users.edges.filter((e) => e.from === lb?.id).map((e) => e.to)).toEqual([
      'cluster_1_services',
      'cluster_2_services',
    ]);
    const internal = topo({ ...base, traffic: 'internal' });
    expect(kinds(internal)).not.toContain('global-lb');
  });

  it('shows two regions for multi-region, one for clusters in one region, and a fleet node per region past five', () => {
    expect(topo({ clusters: 'multi-region' }).regions).toHaveLength(2);
    expect(topo({ clusters: 'several-same-region' }).regions).toHaveLength(1);
    const fleet = topo({ clusters: 'multi-region', fleet: '51-plus', pains: ['one-workload-many-clusters'] });
    expect(fleet.clusters).toEqual([]);
    expect(fleet.nodes.filter((n) => n.kind === 'fleet').map((n) => n.region)).toEqual(['region_1', 'region_2']);
    expect(fleet.nodes.find((n) => n.kind === 'fleet')?.detail).toMatch(
      /More than 50 clusters in all, across both regions/,
    );
  });

  it('says what runs in each cluster of a fleet, and that plain Kubernetes adds nothing', () => {
    const plain = topo({ clusters: 'several-same-region', fleet: '51-plus', pains: ['none'] });
    expect(plain.nodes.map((n) => [n.kind, n.label, n.detail])).toEqual([
      ['fleet', 'More than 50 clusters', 'one fleet; Plain Kubernetes, nothing added'],
    ]);
    const meshed = topo({
      clusters: 'several-same-region',
      fleet: '6-50',
      services: '50-plus',
      pains: ['mtls', 'flaky-calls'],
      ops: 'platform-team',
    });
    const fleet = meshed.nodes.find((n) => n.kind === 'fleet');
    const mesh = meshed.layers.find((l) => l.pattern === 'service-mesh');
    expect(mesh).toBeDefined();
    expect(fleet?.detail).toContain(`each runs ${mesh?.label}`);
  });

  it('names the federation control point by its first choice and shows Git for GitOps fan-out', () => {
    const t = topo({ clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' });
    const cp = t.nodes.find((n) => n.kind === 'control-point');
    expect(cp?.label).toBe('Argo CD ApplicationSet');
    expect(kinds(t)).toContain('git');
    expect(t.edges.filter((e) => e.from === cp?.id && e.label === 'places work')).toHaveLength(2);
  });

  it('labels each layer with the catalogue name of its first-choice tool', () => {
    const answers: Answers = { ...ISTIO_ACROSS, network: 'gateways-only' };
    const rec = recommend(flow, answers);
    const t = topologyOf(flow, answers, rec);
    for (const choice of rec.tools.filter((c) => c.fit === 'first-choice')) {
      expect(t.layers).toContainEqual({
        pattern: choice.pattern,
        label: flow.toolById.get(choice.tool)?.name,
        tool: choice.tool,
      });
    }
  });
});

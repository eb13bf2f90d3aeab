import { z } from 'zod';
import { completeAnswers, withoutNoneBesideChoices } from './answers.js';
import type { Answers, Flow } from './flow.js';
import type { Recommendation } from './recommend.js';
import { toolName } from './tools.js';

/**
 * The recommended topology as a picture model: regions, clusters (or a fleet
 * drawn as one node), the layers the recommendation adds and how they connect.
 * Pure: answers and recommendation in, plain JSON out; the renderers in
 * src/diagram/ draw it as SVG, PNG or Mermaid without deciding anything.
 */

export const TopologyNodeKind = z.enum([
  /** People and systems outside, sending user traffic. */
  'users',
  /** The global load balancer or DNS failover in front of the clusters. */
  'global-lb',
  /** One Kubernetes cluster's own services (the cluster's box holds it). */
  'services',
  /** Many clusters drawn as one node ("more than 50 clusters"). */
  'fleet',
  /** A service mesh's data plane inside a cluster. */
  'mesh',
  /** An east-west gateway: the only way into a cluster from another on this network. */
  'gateway',
  /** A layer joining clusters (cluster mesh, a mesh spanning clusters, a multi-cluster link). */
  'link',
  /** The one root CA every cluster's mesh trusts. */
  'trust-root',
  /** The federation or GitOps control point that places work. */
  'control-point',
  /** The Git repository a GitOps control point reads. */
  'git',
]);
export type TopologyNodeKind = z.infer<typeof TopologyNodeKind>;

/** One box of the picture; `cluster` names the Kubernetes cluster box it sits in, `region` the region box. */
export const TopologyNode = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  kind: TopologyNodeKind,
  label: z.string().min(1),
  /** A second, smaller line: what the box does here. */
  detail: z.string().optional(),
  /** The pattern this box stands for, when it is one of the recommended layers. */
  pattern: z.string().optional(),
  /** The catalogue tool id whose name is the label. */
  tool: z.string().optional(),
  region: z.string().optional(),
  cluster: z.string().optional(),
});
export type TopologyNode = z.infer<typeof TopologyNode>;

export const TopologyEdgeKind = z.enum(['traffic', 'east-west', 'trust', 'control']);
export type TopologyEdgeKind = z.infer<typeof TopologyEdgeKind>;

export const TopologyEdge = z.strictObject({
  from: z.string(),
  to: z.string(),
  kind: TopologyEdgeKind,
  label: z.string().optional(),
});
export type TopologyEdge = z.infer<typeof TopologyEdge>;

export const TopologyRegion = z.strictObject({ id: z.string(), label: z.string().min(1) });
export type TopologyRegion = z.infer<typeof TopologyRegion>;

/** A Kubernetes cluster's box: its region and what is drawn inside it. */
export const TopologyCluster = z.strictObject({ id: z.string(), label: z.string().min(1), region: z.string() });
export type TopologyCluster = z.infer<typeof TopologyCluster>;

/** A recommended layer and the label it carries in the picture (the first-choice tool's catalogue name). */
export const TopologyLayer = z.strictObject({
  pattern: z.string(),
  label: z.string().min(1),
  tool: z.string().optional(),
});
export type TopologyLayer = z.infer<typeof TopologyLayer>;

export const Topology = z.strictObject({
  /** What a screen reader says for the picture (Slack's alt text): "Recommended topology: " and the description. */
  summary: z.string().min(1),
  /** The picture in a few sentences, for a page that already says it is the recommended topology. */
  description: z.string().min(1),
  regions: z.array(TopologyRegion).min(1),
  clusters: z.array(TopologyCluster),
  nodes: z.array(TopologyNode).min(1),
  edges: z.array(TopologyEdge),
  layers: z.array(TopologyLayer).min(1),
  /** What the picture cannot show yet (an unknown network), said under it. */
  notes: z.array(z.string()),
  /** How the cluster count reads ("2 to 5 clusters"). */
  clusterCount: z.string(),
  /** How the east-west traffic crosses between clusters, when some layer carries it. */
  crossing: z.enum(['none', 'direct', 'gateways', 'unknown']),
});
export type Topology = z.infer<typeof Topology>;

/** Service-mesh tools that are one mesh over several clusters by design. */
const SPANNING_MESHES = new Set(['istio-multicluster', 'linkerd-multicluster', 'gke-cloud-service-mesh']);
/** Multi-cluster-without-mesh tools that stand in front of the clusters and take user traffic. */
const FRONT_DOORS = new Set(['global-load-balancer', 'k8gb', 'multi-cluster-gateway']);
/** Federation tools that read their definitions from Git. */
const GITOPS = new Set(['argocd-applicationset', 'flux', 'rancher-fleet']);

const COUNT_TEXT: Record<string, string> = {
  '2-5': '2 to 5 clusters',
  '6-50': '6 to 50 clusters',
  '51-plus': 'more than 50 clusters',
};

const one = (a: Answers, q: string): string | undefined => {
  const v = a[q];
  return typeof v === 'string' ? v : undefined;
};
const many = (a: Answers, q: string): string[] => {
  const v = a[q];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
};
const capital = (s: string): string => (s ? s[0]?.toUpperCase() + s.slice(1) : s);

/** Answers and the recommendation made for them → the topology to draw. */
export function topologyOf(flow: Flow, given: Answers, rec: Recommendation): Topology {
  const answers = withoutNoneBesideChoices(flow, completeAnswers(flow, given));
  const clusters = one(answers, 'clusters') ?? 'one';
  const multiCluster = clusters !== 'one';
  const fleetAnswer = multiCluster ? (one(answers, 'fleet') ?? '2-5') : undefined;
  const asFleet = fleetAnswer === '6-50' || fleetAnswer === '51-plus';
  const network = one(answers, 'network') ?? 'unknown';
  const pains = many(answers, 'pains');
  const traffic = one(answers, 'traffic') ?? 'both';
  const services = flow.questionById.get('services')?.options.find((o) => o.id === one(answers, 'services'))?.label;

  const recommended = [rec.primary, ...rec.complements];
  const firstChoice = (pattern: string) =>
    rec.tools.find((t) => t.pattern === pattern && t.fit === 'first-choice')?.tool;
  const nameOf = (pattern: string) => flow.patternById.get(pattern)?.name ?? pattern;
  const layers: TopologyLayer[] = recommended.map((pattern) => {
    const tool = firstChoice(pattern);
    return { pattern, label: tool ? toolName(flow, tool) : nameOf(pattern), ...(tool ? { tool } : {}) };
  });
  const layerOf = (pattern: string) => layers.find((l) => l.pattern === pattern);

  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const notes: string[] = [];
  const add = (n: TopologyNode): TopologyNode => {
    nodes.push(n);
    return n;
  };

  // --- regions and clusters: two regions stand for "several", a fleet is one node per region.
  const regionIds = clusters === 'multi-region' ? ['region_1', 'region_2'] : ['region_1'];
  const regions = regionIds.map((id, i) => ({
    id,
    label: regionIds.length > 1 ? `Region ${i + 1}` : 'Region',
  }));
  const clusterCount = fleetAnswer ? (COUNT_TEXT[fleetAnswer] ?? fleetAnswer) : 'one cluster';
  const boxes: TopologyCluster[] = [];
  if (!asFleet) {
    const perRegion = clusters === 'several-same-region' ? 2 : 1;
    let n = 0;
    for (const r of regions) {
      for (let i = 0; i < perRegion; i++) {
        n += 1;
        const label = multiCluster ? `Cluster ${n}` : 'Kubernetes cluster';
        boxes.push({ id: `cluster_${n}`, label, region: r.id });
      }
    }
  }

  const mesh = layerOf('service-mesh');
  const meshSpans = Boolean(
    mesh &&
      multiCluster &&
      ((mesh.tool && SPANNING_MESHES.has(mesh.tool)) || one(answers, 'l7_between_clusters') === 'yes'),
  );
  const clusterMesh = layerOf('cluster-mesh');
  const without = layerOf('multi-cluster-without-mesh');
  const frontDoor = without?.tool && FRONT_DOORS.has(without.tool) ? without : undefined;
  const link = without && !frontDoor && multiCluster ? without : undefined;
  const federation = layerOf('federation');
  const plain = layerOf('plain-kubernetes');

  // Where other boxes connect to a cluster (its services), its mesh, and where east-west traffic enters it.
  type Endpoint = { entry: string; mesh?: string; eastWest: string };
  const endpoints: Endpoint[] = [];
  // Plain Kubernetes adds nothing between the services: its tools (if any) work inside each cluster.
  const plainText = plain ? (plain.tool ? `with ${plain.label}` : 'Plain Kubernetes, nothing added') : undefined;
  const servicesDetail =
    [services ? `${services.toLowerCase()} services` : undefined, plainText].filter(Boolean).join('; ') || undefined;
  for (const c of boxes) {
    const svc = add({
      id: `${c.id}_services`,
      kind: 'services',
      label: 'Services',
      ...(servicesDetail ? { detail: servicesDetail } : {}),
      region: c.region,
      cluster: c.id,
    });
    const m = mesh
      ? add({
          id: `${c.id}_mesh`,
          kind: 'mesh',
          label: mesh.label,
          detail: 'service mesh: mTLS, retries, telemetry',
          pattern: 'service-mesh',
          ...(mesh.tool ? { tool: mesh.tool } : {}),
          region: c.region,
          cluster: c.id,
        })
      : undefined;
    if (m) edges.push({ from: svc.id, to: m.id, kind: 'traffic', label: 'calls' });
    endpoints.push({ entry: svc.id, ...(m ? { mesh: m.id } : {}), eastWest: m?.id ?? svc.id });
  }
  if (asFleet) {
    for (const r of regions) {
      const inside = [mesh?.label, plain?.tool ? plain.label : undefined].filter(Boolean);
      const f = add({
        id: `${r.id}_fleet`,
        kind: 'fleet',
        label: regions.length > 1 ? 'Cluster fleet' : capital(clusterCount),
        detail: [
          regions.length > 1 ? `${capital(clusterCount)} in all, across both regions` : 'one fleet',
          ...(inside.length ? [`each runs ${inside.join(', ')}`] : []),
          ...(plain && !plain.tool ? [plainText] : []),
        ].join('; '),
        region: r.id,
      });
      endpoints.push({ entry: f.id, ...(mesh ? { mesh: f.id } : {}), eastWest: f.id });
    }
  }

  // --- east-west: layers that join clusters, through gateways only when the network needs them.
  const crossLayers: TopologyLayer[] = [];
  if (clusterMesh && multiCluster) crossLayers.push(clusterMesh);
  if (mesh && meshSpans) crossLayers.push(mesh);
  if (link) crossLayers.push(link);
  const needsGateways = network === 'gateways-only' || network === 'overlapping';
  const crossing: Topology['crossing'] =
    crossLayers.length === 0 ? 'none' : needsGateways ? 'gateways' : network === 'flat' ? 'direct' : 'unknown';
  if (crossing === 'unknown') {
    notes.push(
      'Whether pods in one cluster can reach pods in another is not known yet, so no east-west gateways are drawn: they are needed if the pod networks overlap or only gateways are reachable.',
    );
  }
  const gatewayOf = new Map<string, string>();
  if (crossing === 'gateways') {
    for (const e of endpoints) {
      const host = nodes.find((n) => n.id === e.entry);
      const g = add({
        id: `${e.entry}_gateway`,
        kind: 'gateway',
        label: 'East-west gateway',
        detail: network === 'overlapping' ? 'pod networks overlap' : 'only gateways are reachable',
        ...(host?.region ? { region: host.region } : {}),
        ...(host?.cluster ? { cluster: host.cluster } : {}),
      });
      edges.push({ from: e.eastWest, to: g.id, kind: 'east-west' });
      gatewayOf.set(e.entry, g.id);
    }
  }
  for (const layer of crossLayers) {
    if (layer.pattern === 'service-mesh') {
      // One mesh across the clusters: each cluster's mesh talks to the next one's (a fleet node, to itself).
      const at = (e: Endpoint) => gatewayOf.get(e.entry) ?? e.mesh ?? e.entry;
      const pairs = endpoints.length > 1 ? endpoints.slice(1).map((e, i) => [endpoints[i], e] as const) : [];
      if (endpoints.length === 1 && endpoints[0]) pairs.push([endpoints[0], endpoints[0]]);
      for (const [a, b] of pairs) {
        if (a && b) edges.push({ from: at(a), to: at(b), kind: 'east-west', label: 'mTLS across clusters' });
      }
      continue;
    }
    const hub = add({
      id: `link_${layer.pattern.replace(/-/g, '_')}`,
      kind: 'link',
      label: layer.label,
      detail:
        layer.pattern === 'cluster-mesh'
          ? 'cluster mesh: pods and services reach across clusters'
          : 'services reach across clusters',
      pattern: layer.pattern,
      ...(layer.tool ? { tool: layer.tool } : {}),
    });
    for (const e of endpoints) edges.push({ from: hub.id, to: gatewayOf.get(e.entry) ?? e.entry, kind: 'east-west' });
  }

  // --- one trust root when mTLS spans clusters.
  if (meshSpans) {
    const root = add({
      id: 'trust_root',
      kind: 'trust-root',
      label: 'Shared root CA',
      detail: 'one trust root for every cluster’s mesh',
    });
    for (const e of endpoints) if (e.mesh) edges.push({ from: root.id, to: e.mesh, kind: 'trust', label: 'signs' });
  }

  // --- the global load balancer in front, when chosen or when failover of user traffic calls for it.
  const failover = pains.includes('region-failover') || pains.includes('cluster-failover');
  const userTraffic = traffic === 'user-facing' || traffic === 'both';
  const lbForFailover = multiCluster && failover && userTraffic;
  if (frontDoor || lbForFailover) {
    const gslb = frontDoor?.tool ?? 'global-load-balancer';
    const users = add({ id: 'users', kind: 'users', label: 'Users' });
    const lb = add({
      id: 'global_lb',
      kind: 'global-lb',
      label: frontDoor?.label ?? toolName(flow, gslb),
      detail: frontDoor ? 'sends user traffic to healthy clusters' : 'fails user traffic over between clusters',
      ...(frontDoor ? { pattern: 'multi-cluster-without-mesh' } : {}),
      tool: gslb,
    });
    edges.push({ from: users.id, to: lb.id, kind: 'traffic' });
    for (const e of endpoints) edges.push({ from: lb.id, to: e.entry, kind: 'traffic' });
  }

  // --- the control point that places work.
  if (federation && multiCluster) {
    const tool = federation.tool;
    const cp = add({
      id: 'control_point',
      kind: 'control-point',
      label: federation.label,
      detail: tool && GITOPS.has(tool) ? 'fans one definition out to every cluster' : 'places workloads by policy',
      pattern: 'federation',
      ...(tool ? { tool } : {}),
    });
    if (tool && GITOPS.has(tool)) {
      const git = add({ id: 'git', kind: 'git', label: 'Git repository', detail: 'one definition' });
      edges.push({ from: git.id, to: cp.id, kind: 'control', label: tool === 'flux' ? 'pulled' : 'read' });
    }
    for (const e of endpoints) edges.push({ from: cp.id, to: e.entry, kind: 'control', label: 'places work' });
  }

  // A recommended layer the picture could not place (a cross-cluster layer on one cluster) still gets its label.
  for (const layer of layers) {
    if (nodes.some((n) => n.pattern === layer.pattern) || layer.pattern === 'plain-kubernetes') continue;
    add({
      id: `layer_${layer.pattern.replace(/-/g, '_')}`,
      kind: 'link',
      label: layer.label,
      detail: nameOf(layer.pattern),
      pattern: layer.pattern,
      ...(layer.tool ? { tool: layer.tool } : {}),
    });
  }
  const description = descriptionOf({
    regions,
    clusterCount,
    asFleet,
    multiCluster,
    layers,
    nodes,
    crossing,
    spans: meshSpans,
  });
  const topology: Topology = {
    summary: `Recommended topology: ${description}`,
    description,
    regions,
    clusters: boxes,
    nodes,
    edges,
    layers,
    notes,
    clusterCount,
    crossing,
  };
  return topology;
}

function descriptionOf(t: {
  regions: TopologyRegion[];
  clusterCount: string;
  asFleet: boolean;
  multiCluster: boolean;
  layers: TopologyLayer[];
  nodes: TopologyNode[];
  crossing: Topology['crossing'];
  spans: boolean;
}): string {
  const parts: string[] = [];
  const where = t.regions.length > 1 ? 'two regions' : 'one region';
  parts.push(
    t.multiCluster
      ? `${capital(t.clusterCount)} in ${where}${t.asFleet ? ', drawn as a fleet' : ''}.`
      : 'One Kubernetes cluster in one region.',
  );
  const byKind = (k: TopologyNodeKind) => t.nodes.filter((n) => n.kind === k);
  const lb = byKind('global-lb')[0];
  if (lb) parts.push(`${lb.label} in front sends user traffic to the clusters.`);
  const mesh = byKind('mesh')[0] ?? t.layers.find((l) => l.pattern === 'service-mesh');
  if (mesh) parts.push(`${mesh.label} runs in ${t.multiCluster ? 'each cluster' : 'the cluster'}.`);
  for (const link of byKind('link')) parts.push(`${link.label} joins the clusters.`);
  if (t.spans) parts.push('The mesh spans the clusters.');
  if (t.crossing === 'gateways') parts.push('Traffic between clusters goes through east-west gateways.');
  if (t.crossing === 'direct') parts.push('Pods reach each other directly across clusters.');
  if (t.crossing === 'unknown') {
    parts.push('Whether pods can reach pods across clusters is not known yet, so no east-west gateways are drawn.');
  }
  if (byKind('trust-root').length) parts.push('One shared root CA signs every cluster’s mesh certificates.');
  const cp = byKind('control-point')[0];
  if (cp) parts.push(`${cp.label} places work on the clusters${byKind('git').length ? ' from Git' : ''}.`);
  if (parts.length === 1) parts.push('Nothing is added between the services.');
  return parts.join(' ');
}

import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';

const flow = getFlow();
const ALL = ['plain-kubernetes', 'service-mesh', 'cluster-mesh', 'multi-cluster-without-mesh', 'federation'];

/** A team profile a senior platform engineer would recognise, and the advice they would sign. */
type Profile = {
  name: string;
  answers: Answers;
  primary: string;
  complements?: string[];
  /** First-choice tool of each recommended pattern that must have one. */
  first?: Record<string, string>;
  avoid?: string[];
  /** Tools these answers would not reach for: not even shown as avoid. */
  absent?: string[];
  warns?: RegExp[];
  noWarning?: RegExp[];
};

const PROFILES: Profile[] = [
  // --- the guide's own examples keep the outcome the guide argues for
  {
    name: 'guide: e-commerce with flaky calls, mTLS by rule, canaries and tracing gets a service mesh',
    answers: {
      clusters: 'one',
      services: '10-49',
      pains: ['flaky-calls', 'mtls', 'canary', 'tracing'],
      regulated: 'yes',
      deploys: 'daily',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-ambient' },
    absent: ['cilium-service-mesh'],
  },
  {
    name: 'guide: Oregon and Frankfurt on Cilium that must fail over get a cluster mesh behind a global load balancer',
    answers: {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover'],
      cni: 'cilium',
      l7_between_clusters: 'no',
      ops: 'platform-team',
    },
    primary: 'cluster-mesh',
    complements: ['multi-cluster-without-mesh'],
    first: { 'cluster-mesh': 'cilium-clustermesh', 'multi-cluster-without-mesh': 'k8gb' },
    warns: [/data stays in one region/],
  },
  {
    name: 'guide: one Deployment spread over US and EU clusters gets fan-out, never KubeFed',
    answers: { clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' },
    primary: 'federation',
    first: { federation: 'argocd-applicationset' },
    avoid: ['kubefed'],
  },
  {
    name: 'guide: a small team with no pain stays on plain Kubernetes with no warning',
    answers: { clusters: 'one', services: 'under-10', pains: ['none'], ops: 'part-time' },
    primary: 'plain-kubernetes',
    noWarning: [/./],
  },
  // --- defect 1: none beside a real pain
  {
    name: 'defect 1: none ticked beside mTLS decides on mTLS, like mTLS alone',
    answers: { pains: ['none', 'mtls'] },
    primary: 'service-mesh',
    warns: [/"None of these"/],
  },
  {
    name: 'defect 1: mTLS alone gives a mesh',
    answers: { pains: ['mtls'] },
    primary: 'service-mesh',
    noWarning: [/None of these/],
  },
  // --- defect 2: regulated with no pain named
  {
    name: 'defect 2: a regulated three-service startup with pains [none] gets a light mesh, not "no pain"',
    answers: {
      clusters: 'one',
      services: 'under-10',
      pains: ['none'],
      regulated: 'yes',
      ops: 'part-time',
      platform: 'eks',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-ambient' },
    absent: ['aws-app-mesh', 'aks-istio-addon', 'gke-cloud-service-mesh'],
    warns: [/Part-time/],
  },
  {
    name: 'defect 2: a regulated team with an empty pains list is treated the same',
    answers: { services: 'under-10', pains: [], regulated: 'yes' },
    primary: 'service-mesh',
  },
  {
    name: 'defect 2: regulated but nobody to run anything keeps plain Kubernetes and names mTLS with a way out',
    answers: { services: 'under-10', pains: ['none'], regulated: 'yes', ops: 'none' },
    primary: 'plain-kubernetes',
    warns: [/mTLS between services is left unaddressed.*ambient/],
  },
  // --- defect 3: a service mesh spanning clusters
  {
    name: 'defect 3: a bank with overlapping CIDRs in six clusters gets Istio multi-primary across networks',
    answers: {
      clusters: 'multi-region',
      fleet: '6-50',
      network: 'overlapping',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls'],
      regulated: 'yes',
      cni: 'calico',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-multicluster' },
  },
  {
    name: 'defect 3: a shop on Linkerd that calls across clusters extends Linkerd, no Calico or Submariner',
    answers: {
      clusters: 'several-same-region',
      services: '10-49',
      pains: ['cross-cluster-calls'],
      existing_mesh: 'linkerd',
      cni: 'calico',
      network: 'flat',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'linkerd-multicluster' },
    noWarning: [/Calico's cluster mesh/, /Submariner/],
  },
  {
    name: 'defect 3: a team on Istio extends it across clusters',
    answers: {
      clusters: 'several-same-region',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'cluster-failover'],
      traffic: 'internal',
      existing_mesh: 'istio',
      cni: 'cilium',
      network: 'flat',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-multicluster' },
  },
  {
    name: 'defect 3: gateways-only networks with mTLS needs get a mesh through east-west gateways',
    answers: {
      clusters: 'multi-region',
      network: 'gateways-only',
      services: '10-49',
      pains: ['cross-cluster-calls', 'mtls'],
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-multicluster' },
  },
  {
    name: 'defect 3: a FIPS bank that must also survive a region gets one mesh across networks and a GSLB, no NAT cluster mesh',
    answers: {
      clusters: 'multi-region',
      fleet: '6-50',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls', 'region-failover'],
      traffic: 'both',
      data: 'replicated',
      network: 'overlapping',
      cni: 'calico',
      regulated: 'yes',
      fips: 'yes',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    complements: ['multi-cluster-without-mesh'],
    first: { 'service-mesh': 'istio-multicluster', 'multi-cluster-without-mesh': 'k8gb' },
    warns: [/WireGuard, which is not FIPS-approved/],
  },
  // --- defect 4: GSLB in front, cluster mesh behind
  {
    name: 'defect 4: failover of user and internal traffic combines a cluster mesh with a global load balancer',
    answers: {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover'],
      traffic: 'both',
      data: 'replicated',
      cni: 'cilium',
      network: 'flat',
      ops: 'platform-team',
      platform: 'eks',
    },
    primary: 'cluster-mesh',
    complements: ['multi-cluster-without-mesh'],
    first: { 'cluster-mesh': 'cilium-clustermesh', 'multi-cluster-without-mesh': 'global-load-balancer' },
    noWarning: [/data stays/],
  },
  {
    name: 'defect 4: failover of user traffic alone is the global load balancer’s job',
    answers: {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover'],
      traffic: 'user-facing',
      data: 'replicated',
      cni: 'cilium',
      ops: 'platform-team',
      platform: 'gke',
    },
    primary: 'multi-cluster-without-mesh',
    first: { 'multi-cluster-without-mesh': 'global-load-balancer' },
  },
  // --- defect 6: unaddressed pains are named with a way out
  {
    name: 'defect 6: flaky calls beside a cluster-mesh need are named when no layer handles them',
    answers: {
      clusters: 'several-same-region',
      services: 'under-10',
      pains: ['cross-cluster-calls', 'flaky-calls'],
      cni: 'cilium',
      network: 'flat',
      ops: 'platform-team',
    },
    primary: 'cluster-mesh',
    warns: [/Flaky calls are not addressed.*client library/],
  },
  {
    name: 'defect 6: mTLS with tight overhead still gets a mesh, and the warning says how to keep it cheap',
    answers: { services: '10-49', pains: ['mtls'], overhead: 'tight', ops: 'part-time' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-ambient' },
    warns: [/Overhead is tight.*ztunnel/],
  },
  {
    name: 'defect 6: tracing beside a failover need is left to OpenTelemetry, with a warning',
    answers: {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover', 'tracing'],
      traffic: 'user-facing',
      data: 'replicated',
      ops: 'platform-team',
    },
    primary: 'multi-cluster-without-mesh',
    warns: [/Tracing is not addressed.*OpenTelemetry/],
  },
  // --- defect 7: part-time ownership costs a multi-region cluster mesh
  {
    name: 'defect 7: a multi-region cluster mesh with part-time owners is warned about',
    answers: {
      clusters: 'multi-region',
      pains: ['cross-cluster-calls'],
      cni: 'cilium',
      network: 'flat',
      ops: 'part-time',
      services: '10-49',
    },
    primary: 'cluster-mesh',
    warns: [/Part-time ownership/],
  },
  {
    name: 'defect 7: a cluster mesh with nobody to run it is not recommended when gateways will do',
    answers: {
      clusters: 'multi-region',
      pains: ['cross-cluster-calls'],
      cni: 'other',
      network: 'unknown',
      ops: 'none',
    },
    primary: 'multi-cluster-without-mesh',
  },
  // --- defect 8: CNIs and managed platforms
  {
    name: 'defect 8: GKE Dataplane V2 is not self-managed Cilium: multi-cluster Services, no ClusterMesh',
    answers: {
      clusters: 'several-same-region',
      platform: 'gke',
      cni: 'cilium',
      pains: ['cross-cluster-calls'],
      services: '10-49',
      ops: 'platform-team',
    },
    primary: 'multi-cluster-without-mesh',
    first: { 'multi-cluster-without-mesh': 'mcs-api' },
  },
  {
    name: 'defect 8: open-source Calico gets no credit for a cluster mesh it lacks',
    answers: {
      clusters: 'multi-region',
      cni: 'calico',
      network: 'flat',
      pains: ['region-failover'],
      traffic: 'internal',
      data: 'replicated',
      ops: 'platform-team',
    },
    primary: 'cluster-mesh',
    first: { 'cluster-mesh': 'submariner' },
    absent: ['cilium-clustermesh'],
    warns: [/Calico Enterprise/],
  },
  {
    name: 'defect 8: routable pod IPs on the EKS VPC CNI need discovery, not Submariner',
    answers: {
      clusters: 'several-same-region',
      platform: 'eks',
      cni: 'other',
      network: 'flat',
      pains: ['cross-cluster-calls'],
      ops: 'platform-team',
    },
    primary: 'multi-cluster-without-mesh',
    first: { 'multi-cluster-without-mesh': 'aws-vpc-lattice' },
    noWarning: [/Submariner/],
  },
  {
    name: 'defect 8: nothing crosses clusters, so no DIY multi-cluster and no cluster mesh',
    answers: {
      clusters: 'several-same-region',
      services: '50-plus',
      pains: ['flaky-calls'],
      cni: 'other',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
  },
  {
    name: 'defect 8: AKS manages its Cilium, so a self-managed ClusterMesh is avoided and the managed one named as a preview',
    answers: {
      clusters: 'several-same-region',
      platform: 'aks',
      cni: 'cilium',
      network: 'flat',
      pains: ['cross-cluster-calls'],
      ops: 'platform-team',
    },
    primary: 'cluster-mesh',
    first: { 'cluster-mesh': 'submariner' },
    avoid: ['cilium-clustermesh'],
    warns: [/preview, not for production/],
  },
  // --- defect 9: sidecar-less advice that does not break
  {
    name: 'defect 9: a team on Cilium Service Mesh that needs mTLS is steered to Istio ambient, not Cilium mutual auth',
    answers: { existing_mesh: 'cilium-service-mesh', pains: ['mtls'], services: '10-49', ops: 'platform-team' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-ambient' },
    avoid: ['cilium-service-mesh'],
  },
  {
    name: 'defect 9: a FedRAMP team on tight overhead is told WireGuard is not FIPS-approved',
    answers: {
      services: '50-plus',
      pains: ['mtls', 'flaky-calls'],
      regulated: 'yes',
      fips: 'yes',
      overhead: 'tight',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-ambient' },
    warns: [/WireGuard, which is not FIPS-approved/, /retries and canaries need an L7 proxy/],
  },
  // --- defect 10: canaries and tracing
  {
    name: 'defect 10: canaries of user-facing traffic need only Gateway API weights or Argo Rollouts',
    answers: { services: '10-49', pains: ['canary'], traffic: 'user-facing', deploys: 'daily', ops: 'platform-team' },
    primary: 'plain-kubernetes',
    first: { 'plain-kubernetes': 'argo-rollouts' },
  },
  {
    name: 'defect 10: canaries of internal calls at 50 services with daily releases get a mesh',
    answers: { services: '50-plus', pains: ['canary'], traffic: 'internal', deploys: 'daily', ops: 'platform-team' },
    primary: 'service-mesh',
  },
  {
    name: 'defect 10: tracing alone at 50+ services is instrumentation first',
    answers: { services: '50-plus', pains: ['tracing'], ops: 'platform-team' },
    primary: 'plain-kubernetes',
    first: { 'plain-kubernetes': 'opentelemetry' },
  },
  // --- defect 11: fan-out versus placement
  {
    name: 'defect 11: 600 retail store clusters get GitOps fan-out built for fleets',
    answers: {
      clusters: 'multi-region',
      fleet: '51-plus',
      services: '10-49',
      pains: ['one-workload-many-clusters'],
      network: 'gateways-only',
      ops: 'platform-team',
    },
    primary: 'federation',
    first: { federation: 'rancher-fleet' },
    avoid: ['kubefed'],
  },
  {
    name: 'defect 11: one workload that must fail over between regions gets Karmada placement',
    answers: {
      clusters: 'multi-region',
      pains: ['one-workload-many-clusters', 'region-failover'],
      traffic: 'user-facing',
      data: 'replicated',
      ops: 'platform-team',
    },
    primary: 'federation',
    complements: ['multi-cluster-without-mesh'],
    first: { federation: 'karmada' },
  },
  {
    name: 'defect 11: part-time owners fan out with GitOps instead of running Karmada',
    answers: { clusters: 'several-same-region', pains: ['one-workload-many-clusters'], ops: 'part-time' },
    primary: 'federation',
    first: { federation: 'argocd-applicationset' },
  },
  // --- defect 12: wording
  {
    name: 'defect 12: several clusters in one region that must survive losing one get cluster failover, not a region warning',
    answers: {
      clusters: 'several-same-region',
      pains: ['cluster-failover'],
      traffic: 'both',
      cni: 'cilium',
      network: 'flat',
      ops: 'platform-team',
    },
    primary: 'cluster-mesh',
    complements: ['multi-cluster-without-mesh'],
    noWarning: [/region outage/],
  },
  {
    name: 'defect 12: one cluster that must survive a region outage is told to run a second cluster',
    answers: { clusters: 'one', pains: ['region-failover'] },
    primary: 'plain-kubernetes',
    warns: [/single cluster cannot survive/],
  },
  // --- platforms
  {
    name: 'platform: GKE with nobody to run a mesh gets the managed Cloud Service Mesh and an owner warning',
    answers: { services: '10-49', pains: ['mtls'], ops: 'none', platform: 'gke' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'gke-cloud-service-mesh' },
    warns: [/only a managed offering is recommended, and even that needs an\s+owner/],
  },
  {
    name: 'platform: AKS gets the Istio add-on',
    answers: { services: '50-plus', pains: ['mtls', 'flaky-calls'], ops: 'part-time', platform: 'aks' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'aks-istio-addon' },
  },
  {
    name: 'platform: OpenShift gets OpenShift Service Mesh',
    answers: { services: '50-plus', pains: ['mtls', 'canary'], ops: 'platform-team', platform: 'openshift' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'openshift-service-mesh' },
  },
  {
    name: 'platform: EKS never offers AWS App Mesh, and a team on another mesh hears App Mesh has ended',
    answers: {
      platform: 'eks',
      existing_mesh: 'other',
      services: '50-plus',
      pains: ['flaky-calls'],
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    avoid: ['aws-app-mesh'],
    warns: [/discontinued on 30 September 2026/],
  },
  {
    name: 'platform: a mix of clouds that calls across clusters gets Istio multi-cluster',
    answers: {
      clusters: 'multi-region',
      platform: 'mixed',
      network: 'gateways-only',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'flaky-calls'],
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-multicluster' },
  },
  // --- existing meshes
  {
    name: 'existing mesh: a team already on Istio with no pain keeps it',
    answers: { existing_mesh: 'istio', pains: ['none'], services: '10-49', ops: 'platform-team' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'istio-sidecar' },
  },
  {
    name: 'existing mesh: a single-cluster Linkerd team with flaky calls keeps Linkerd',
    answers: { existing_mesh: 'linkerd', pains: ['flaky-calls'], services: '10-49', ops: 'platform-team' },
    primary: 'service-mesh',
    first: { 'service-mesh': 'linkerd' },
  },
  // --- network shapes and workloads
  {
    name: 'network: cross-cluster calls with unknown networking prefer gateways and say to find out',
    answers: { clusters: 'several-same-region', pains: ['cross-cluster-calls'], ops: 'platform-team' },
    primary: 'multi-cluster-without-mesh',
  },
  {
    name: 'network: calls that need request routing between clusters get one mesh spanning them, not a cluster mesh too',
    answers: {
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['region-failover', 'canary'],
      cni: 'cilium',
      network: 'flat',
      l7_between_clusters: 'yes',
      deploys: 'daily',
      data: 'replicated',
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    complements: ['multi-cluster-without-mesh'],
    first: { 'service-mesh': 'istio-multicluster' },
  },
  {
    name: 'workloads: Windows nodes are warned about, the mesh covers Linux only',
    answers: {
      services: '50-plus',
      pains: ['mtls', 'flaky-calls'],
      other_workloads: ['windows-nodes'],
      ops: 'platform-team',
    },
    primary: 'service-mesh',
    warns: [/Windows/],
  },
  {
    name: 'workloads: VMs joining the mesh are planned as their own step',
    answers: { services: '50-plus', pains: ['mtls'], other_workloads: ['vms'], ops: 'platform-team' },
    primary: 'service-mesh',
    warns: [/WorkloadEntry/],
  },
];

const firstChoices = (r: ReturnType<typeof recommend>) =>
  Object.fromEntries(r.tools.filter((t) => t.fit === 'first-choice').map((t) => [t.pattern, t.tool]));

describe('recommend: team profiles a senior platform engineer would sign', () => {
  it('has at least 40 profiles', () => {
    expect(PROFILES.length).toBeGreaterThanOrEqual(40);
  });

  for (const p of PROFILES) {
    it(p.name, () => {
      const r = recommend(flow, p.answers);
      const why = JSON.stringify({
        primary: r.primary,
        complements: r.complements,
        tools: r.tools,
        warnings: r.warnings,
      });
      expect(r.primary, why).toBe(p.primary);
      expect([...r.complements].sort(), why).toEqual([...(p.complements ?? [])].sort());
      expect([...r.notNow].sort()).toEqual(
        ALL.filter((x) => x !== p.primary && !(p.complements ?? []).includes(x)).sort(),
      );
      if (p.first) expect(firstChoices(r), why).toMatchObject(p.first);
      for (const tool of p.avoid ?? []) {
        expect(r.tools.find((t) => t.tool === tool)?.fit, `${tool} ${why}`).toBe('avoid');
      }
      for (const tool of p.absent ?? [])
        expect(
          r.tools.map((t) => t.tool),
          why,
        ).not.toContain(tool);
      for (const w of p.warns ?? [])
        expect(
          r.warnings.some((x) => w.test(x)),
          `${w} in ${why}`,
        ).toBe(true);
      for (const w of p.noWarning ?? [])
        expect(
          r.warnings.filter((x) => w.test(x)),
          why,
        ).toEqual([]);
    });
  }
});

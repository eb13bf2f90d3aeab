/** Ids fixed by the public contract (shared/spec/interview.md, v2); options may be added, never removed. */
export const CONTRACT_QUESTIONS = {
  clusters: ['one', 'several-same-region', 'multi-region'],
  services: ['under-10', '10-49', '50-plus'],
  pains: [
    'flaky-calls',
    'mtls',
    'canary',
    'tracing',
    'region-failover',
    'cluster-failover',
    'cross-cluster-calls',
    'one-workload-many-clusters',
    'none',
  ],
  regulated: ['yes', 'no'],
  deploys: ['daily', 'weekly', 'monthly'],
  ops: ['platform-team', 'part-time', 'none'],
  overhead: ['tight', 'normal'],
  cni: ['cilium', 'calico', 'other', 'unknown'],
  l7_between_clusters: ['yes', 'no'],
  platform: ['self-managed', 'eks', 'gke', 'aks', 'openshift', 'mixed'],
  existing_mesh: ['none', 'istio', 'linkerd', 'cilium-service-mesh', 'other'],
  other_workloads: ['windows-nodes', 'vms', 'none'],
  network: ['flat', 'overlapping', 'gateways-only', 'unknown'],
  fleet: ['2-5', '6-50', '51-plus'],
  traffic: ['user-facing', 'internal', 'both'],
  data: ['stateless', 'replicated', 'single-region', 'unknown'],
  fips: ['yes', 'no'],
} as const satisfies Record<string, readonly string[]>;

/** v2 defaults: a v1 answers file leaves these out, and they must not change its outcome's meaning. */
export const CONTRACT_DEFAULTS: Record<string, string | readonly string[]> = {
  platform: 'self-managed',
  existing_mesh: 'none',
  other_workloads: ['none'],
  network: 'unknown',
  fleet: '2-5',
  traffic: 'both',
  data: 'unknown',
  fips: 'no',
};

export const CONTRACT_PATTERNS = [
  'plain-kubernetes',
  'service-mesh',
  'cluster-mesh',
  'multi-cluster-without-mesh',
  'federation',
] as const;

export type PatternId = (typeof CONTRACT_PATTERNS)[number];

/** The contract's tool ids, by the pattern they belong to. */
export const CONTRACT_TOOLS: Record<PatternId, readonly string[]> = {
  'service-mesh': [
    'istio-ambient',
    'istio-sidecar',
    'istio-multicluster',
    'linkerd',
    'linkerd-multicluster',
    'cilium-service-mesh',
    'gke-cloud-service-mesh',
    'aks-istio-addon',
    'openshift-service-mesh',
    'consul',
    'aws-app-mesh',
  ],
  'cluster-mesh': ['cilium-clustermesh', 'submariner', 'calico-enterprise-cluster-mesh'],
  'multi-cluster-without-mesh': [
    'global-load-balancer',
    'mcs-api',
    'multi-cluster-gateway',
    'aws-vpc-lattice',
    'k8gb',
    'skupper',
  ],
  federation: ['karmada', 'open-cluster-management', 'argocd-applicationset', 'flux', 'rancher-fleet', 'kubefed'],
  'plain-kubernetes': ['gateway-api', 'argo-rollouts', 'opentelemetry', 'cert-manager', 'resilience-libraries'],
};

/** Tool statuses that may never be offered, only avoided. */
export const UNUSABLE_STATUSES: readonly string[] = ['archived', 'service-ended'];

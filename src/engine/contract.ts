/** Ids fixed by the public contract (shared/spec/interview.md, v1). */
export const CONTRACT_QUESTIONS = {
  clusters: ['one', 'several-same-region', 'multi-region'],
  services: ['under-10', '10-49', '50-plus'],
  pains: [
    'flaky-calls',
    'mtls',
    'canary',
    'tracing',
    'region-failover',
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
} as const satisfies Record<string, readonly string[]>;

export const CONTRACT_PATTERNS = [
  'plain-kubernetes',
  'service-mesh',
  'cluster-mesh',
  'multi-cluster-without-mesh',
  'federation',
] as const;

export type PatternId = (typeof CONTRACT_PATTERNS)[number];

import type { Answers } from '../../src/engine/flow.js';

/** What the picture of a profile must and must not show, read off its answers by hand. */
export type Expected = {
  regions: 1 | 2;
  /** Kubernetes cluster boxes drawn one by one (0 when the clusters are a fleet). */
  clusterBoxes: number;
  fleet: boolean;
  gateways: boolean;
  lb: boolean;
  trustRoot: boolean;
  /** A note says the network is unknown (and so no gateways are drawn). */
  unknownNetwork: boolean;
};

/** Team profiles whose pictures differ in every way the answers allow: regions, fleet size, network, layers. */
export const TOPOLOGY_PROFILES: { name: string; answers: Answers; expected: Expected }[] = [
  {
    name: 'one cluster with flaky calls and mTLS by rule',
    answers: {
      clusters: 'one',
      services: '10-49',
      pains: ['flaky-calls', 'mtls', 'canary', 'tracing'],
      regulated: 'yes',
      deploys: 'daily',
      ops: 'platform-team',
    },
    expected: {
      regions: 1,
      clusterBoxes: 1,
      fleet: false,
      gateways: false,
      lb: false,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'one small cluster where nothing hurts',
    answers: { clusters: 'one', services: 'under-10', pains: ['none'] },
    expected: {
      regions: 1,
      clusterBoxes: 1,
      fleet: false,
      gateways: false,
      lb: false,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'two regions on Cilium, flat network, region failover',
    answers: {
      clusters: 'multi-region',
      services: '10-49',
      pains: ['region-failover'],
      cni: 'cilium',
      network: 'flat',
      l7_between_clusters: 'no',
      ops: 'platform-team',
    },
    expected: {
      regions: 2,
      clusterBoxes: 2,
      fleet: false,
      gateways: false,
      lb: true,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'one workload declared once for clusters in two regions',
    answers: { clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' },
    expected: {
      regions: 2,
      clusterBoxes: 2,
      fleet: false,
      gateways: false,
      lb: false,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'an edge fleet of more than 50 clusters',
    answers: {
      clusters: 'several-same-region',
      fleet: '51-plus',
      pains: ['one-workload-many-clusters'],
      ops: 'platform-team',
    },
    expected: {
      regions: 1,
      clusterBoxes: 0,
      fleet: true,
      gateways: false,
      lb: false,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'Istio across two regions reachable only through gateways',
    answers: {
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['cross-cluster-calls', 'mtls'],
      network: 'gateways-only',
      l7_between_clusters: 'yes',
      existing_mesh: 'istio',
      regulated: 'yes',
      ops: 'platform-team',
    },
    expected: {
      regions: 2,
      clusterBoxes: 2,
      fleet: false,
      gateways: true,
      lb: false,
      trustRoot: true,
      unknownNetwork: false,
    },
  },
  {
    name: 'clusters in one region with overlapping pod networks calling each other',
    answers: {
      clusters: 'several-same-region',
      services: '10-49',
      pains: ['cross-cluster-calls'],
      network: 'overlapping',
      cni: 'other',
      ops: 'platform-team',
    },
    expected: {
      regions: 1,
      clusterBoxes: 2,
      fleet: false,
      gateways: true,
      lb: false,
      trustRoot: true,
      unknownNetwork: false,
    },
  },
  {
    name: 'cross-cluster calls on a network nobody has checked',
    answers: {
      clusters: 'several-same-region',
      services: '10-49',
      pains: ['cross-cluster-calls', 'mtls'],
      network: 'unknown',
      l7_between_clusters: 'yes',
      ops: 'platform-team',
    },
    expected: {
      regions: 1,
      clusterBoxes: 2,
      fleet: false,
      gateways: false,
      lb: false,
      trustRoot: true,
      unknownNetwork: true,
    },
  },
  {
    name: 'a 6-50 cluster fleet in two regions that must survive a region loss',
    answers: {
      clusters: 'multi-region',
      fleet: '6-50',
      services: '50-plus',
      pains: ['region-failover', 'one-workload-many-clusters'],
      traffic: 'user-facing',
      data: 'replicated',
      ops: 'platform-team',
    },
    expected: {
      regions: 2,
      clusterBoxes: 0,
      fleet: true,
      gateways: false,
      lb: true,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
  {
    name: 'internal-only cluster failover on EKS',
    answers: {
      clusters: 'several-same-region',
      platform: 'eks',
      pains: ['cluster-failover'],
      traffic: 'internal',
      network: 'flat',
      ops: 'part-time',
    },
    expected: {
      regions: 1,
      clusterBoxes: 2,
      fleet: false,
      gateways: false,
      lb: false,
      trustRoot: false,
      unknownNetwork: false,
    },
  },
];

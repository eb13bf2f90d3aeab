import { describe, expect, it } from 'vitest';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { recommendationMessage } from '../../../src/slack/blocks/recommendation.js';
import { checkMessage } from '../../support/block-kit.js';

const flow = getFlow();
const cardOf = (answers: Answers) => {
  const recommendation = recommend(flow, answers);
  const msg = recommendationMessage(flow, { title: 'T', answers, recommendation }, { kind: 'active' });
  return { recommendation, msg, text: JSON.stringify(msg.blocks) };
};

describe('the recommendation card names the tools', () => {
  it('gives the first choice per layer with its status and checked date, the alternatives, and what to avoid and why', () => {
    const { recommendation, msg, text } = cardOf({
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['region-failover', 'mtls', 'cross-cluster-calls'],
      network: 'overlapping',
      platform: 'eks',
      // App Mesh's avoid is shown only to a team that may run it (advice v3).
      existing_mesh: 'other',
      ops: 'platform-team',
    });
    expect(checkMessage(msg)).toEqual([]);
    expect(text).toContain('*Tools*');
    for (const t of recommendation.tools) {
      const tool = flow.toolById.get(t.tool);
      expect(text, t.tool).toContain(`*${tool?.name.replace(/"/g, '\\"')}*`);
      if (t.fit === 'first-choice') expect(text).toContain(`first choice *${tool?.name}* (GA, `);
      if (t.fit === 'avoid') expect(text).toContain(`Avoid *${tool?.name}*`);
    }
    expect(recommendation.tools.some((t) => t.fit === 'avoid' && t.tool === 'aws-app-mesh')).toBe(true);
    expect(text).toMatch(/checked 2026-11/);
    expect(text).toContain(`${recommendation.checklist.length} readiness checks`);
  });

  it('says nothing about tools or a checklist when nothing is recommended beyond Kubernetes', () => {
    const { text } = cardOf({ clusters: 'one', services: 'under-10', pains: ['none'], ops: 'part-time' });
    expect(text).not.toContain('*Tools*');
    expect(text).not.toContain('readiness check');
  });

  it('stays inside Block Kit limits for the largest tool lists any answers give', () => {
    const pains = [
      'flaky-calls',
      'mtls',
      'canary',
      'tracing',
      'region-failover',
      'cluster-failover',
      'cross-cluster-calls',
      'one-workload-many-clusters',
    ];
    for (const platform of ['self-managed', 'eks', 'gke', 'aks', 'openshift', 'mixed']) {
      for (const network of ['flat', 'overlapping', 'gateways-only', 'unknown']) {
        const { msg } = cardOf({
          clusters: 'multi-region',
          services: '50-plus',
          pains,
          platform,
          network,
          fleet: '51-plus',
          other_workloads: ['windows-nodes', 'vms'],
          regulated: 'yes',
          fips: 'yes',
          ops: 'platform-team',
        });
        expect(checkMessage(msg), `${platform} ${network}`).toEqual([]);
      }
    }
  });
});

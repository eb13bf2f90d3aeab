import { describe, expect, it } from 'vitest';
import { decisionTitle, headline } from '../../../src/domain/presentation.js';
import { CONTRACT_QUESTIONS, UNUSABLE_STATUSES } from '../../../src/engine/contract.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { type Recommendation, recommend } from '../../../src/engine/recommend.js';
import { recommendationMessage } from '../../../src/slack/blocks/recommendation.js';
import { comparisonModal, detailsModal, detailsPage } from '../../../src/slack/blocks/recommendation-details.js';
import { checkMessage, checkView } from '../../support/block-kit.js';
import { visibleChars } from '../../support/visible.js';

const flow = getFlow();
type Json = Record<string, unknown>;

const cardOf = (answers: Answers, recommendation = recommend(flow, answers)) => {
  const msg = recommendationMessage(flow, { title: 'T', answers, recommendation }, { kind: 'active' });
  return { recommendation, msg, text: JSON.stringify(msg.blocks) };
};
const json = (s: string) => s.replace(/"/g, '\\"');
const WHERE = { teamId: 'T0HOME', channel: 'C0MESH', threadTs: '1700000000.000001' };

/** Profiles across every pattern the engine recommends, every platform and every mesh a team may run. */
function profiles(): Answers[] {
  const out: Answers[] = [];
  const painSets = [
    ['none'],
    ['flaky-calls', 'tracing'],
    ['mtls'],
    ['canary'],
    ['region-failover'],
    ['cluster-failover', 'cross-cluster-calls'],
    ['one-workload-many-clusters'],
    ['mtls', 'region-failover', 'cross-cluster-calls'],
  ];
  for (const clusters of CONTRACT_QUESTIONS.clusters)
    for (const pains of painSets)
      for (const existing_mesh of CONTRACT_QUESTIONS.existing_mesh)
        for (const platform of CONTRACT_QUESTIONS.platform)
          for (const [services, ops, cni] of [
            ['50-plus', 'platform-team', 'cilium'],
            ['under-10', 'part-time', 'calico'],
            ['10-49', 'none', 'unknown'],
          ] as const)
            out.push({ clusters, pains, existing_mesh, platform, services, ops, cni, l7_between_clusters: 'yes' });
  return out;
}

const firstChoiceNames = (rec: Recommendation) =>
  rec.tools.filter((t) => t.fit === 'first-choice').map((t) => flow.toolById.get(t.tool)?.name ?? t.tool);

describe('the recommendation card says what to do first', () => {
  it('for every profile: at most 10 blocks and 2,000 characters, Accept in the first 6, the first blocks naming the first-choice tools', () => {
    const patterns = new Set<string>();
    const all = profiles();
    for (const answers of all) {
      const { recommendation: rec, msg } = cardOf(answers);
      const label = JSON.stringify(answers);
      patterns.add([rec.primary, ...rec.complements].join('+'));
      expect(checkMessage(msg), label).toEqual([]);
      expect(msg.blocks.length, label).toBeLessThanOrEqual(10);
      expect(visibleChars(msg.blocks), label).toBeLessThanOrEqual(2000);
      const accept = msg.blocks.findIndex((b) => JSON.stringify(b).includes('"action_id":"decision:accept"'));
      expect(accept, label).toBeGreaterThanOrEqual(0);
      expect(accept, label).toBeLessThan(6);
      // One primary button: Accept.
      expect(JSON.stringify(msg.blocks).match(/"style":"primary"/g) ?? [], label).toHaveLength(1);
      const top = JSON.stringify(msg.blocks.slice(0, 2));
      for (const name of firstChoiceNames(rec)) expect(top, label).toContain(json(name));
      const said = headline(flow, rec, answers);
      expect(said, label).not.toMatch(/\badopt/i);
      expect(said, label).toMatch(/^[A-Z].*\.$/);
    }
    expect(all.length).toBeGreaterThan(1000);
    // The table reached every kind of outcome, so the headline was tried on each.
    expect(patterns.size).toBeGreaterThanOrEqual(5);
  });

  it('says "extend" when the team already runs the mesh its first choice grows, naming that mesh', () => {
    let extended = 0;
    for (const answers of profiles()) {
      const rec = recommend(flow, answers);
      const said = headline(flow, rec, answers);
      const grows = rec.tools.some(
        (t) =>
          t.fit === 'first-choice' &&
          ((answers.existing_mesh === 'istio' && t.tool.startsWith('istio-')) ||
            (answers.existing_mesh === 'linkerd' && t.tool.startsWith('linkerd'))),
      );
      if (!grows) continue;
      extended++;
      const mesh = answers.existing_mesh === 'istio' ? 'Istio' : 'Linkerd';
      expect(said, JSON.stringify(answers)).toContain(`xtend your ${mesh}`);
    }
    expect(extended).toBeGreaterThan(10);
  });

  it('reads as the issue asks for a two-region team on Istio: extend it, and a global load balancer in front', () => {
    const answers: Answers = {
      clusters: 'multi-region',
      services: '50-plus',
      pains: ['mtls', 'region-failover', 'cross-cluster-calls'],
      existing_mesh: 'istio',
      platform: 'eks',
      network: 'flat',
      l7_between_clusters: 'yes',
      ops: 'platform-team',
    };
    const rec = recommend(flow, answers);
    expect(headline(flow, rec, answers)).toMatch(
      /^Extend your Istio across your regions with Istio multi-cluster \(multi-primary\), and put Global load balancer .* in front of the clusters\.$/,
    );
    const title = decisionTitle(flow, { chosen: [rec.primary, ...rec.complements], recommendation: rec, answers });
    expect(title).toMatch(
      /^Extend Istio across regions with Istio multi-cluster, and put Global load balancer .* in front$/,
    );
  });

  it('keeps the three strongest reasons, each with the answer it rests on, and escapes what it shows', () => {
    const answers: Answers = { clusters: 'multi-region', pains: ['mtls', 'region-failover'], services: '50-plus' };
    const { text, msg } = cardOf(answers);
    const why = msg.blocks.find((b) => JSON.stringify(b).includes('*Why*'));
    const lines = String((why as unknown as { text: Json }).text.text)
      .split('\n')
      .slice(1);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/ _\(.+\? → .+\)_$/);
    expect(text).toContain('Surviving the loss of a whole region');
    const nasty = cardOf(answers, { ...recommend(flow, answers), warnings: ['<!channel> & <@U0BOSS>'] }).text;
    expect(nasty).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(nasty).not.toContain('<!channel>');
  });
});

describe('the Details modal', () => {
  it('holds every reason for and against, the warnings, and pushes what was ruled out and every tool with its fit', () => {
    for (const answers of profiles().filter((_, i) => i % 17 === 0)) {
      const rec = recommend(flow, answers);
      const view = detailsModal(flow, 'T', answers, rec, WHERE);
      const pages = [view, detailsPage(flow, 'tools', answers, rec), detailsPage(flow, 'ruled-out', answers, rec)];
      const label = JSON.stringify(answers);
      for (const page of pages) expect(checkView(page), label).toEqual([]);
      const text = JSON.stringify(pages.map((p) => p.blocks));
      // The first page holds every reason for what is recommended, and the warnings against it.
      const first = JSON.stringify(view.blocks);
      for (const r of rec.reasons.filter((x) => x.pattern === rec.primary || rec.complements.includes(x.pattern)))
        expect(first, label).toContain(json(r.because.slice(0, 40)));
      for (const w of rec.warnings) expect(first, label).toContain(json(w.slice(0, 40)));
      for (const r of rec.reasons) expect(text, label).toContain(json(r.because.slice(0, 40)));
      for (const w of rec.warnings) expect(text, label).toContain(json(w.slice(0, 40)));
      for (const t of rec.tools) expect(text, label).toContain(json(flow.toolById.get(t.tool)?.name ?? t.tool));
      for (const id of rec.notNow) expect(text, label).toContain(json(flow.patternById.get(id)?.name ?? id));
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });

  it('pushes a pattern comparison naming only tools the team’s platform offers, never an archived tool or ended service', () => {
    const patterns = flow.patterns.map((p) => p.id);
    const cloudOnly: Record<string, string[]> = {
      eks: ['AWS App Mesh'],
      gke: ['Cloud Service Mesh (GKE)'],
      aks: ['Istio add-on for AKS'],
      openshift: ['OpenShift Service Mesh'],
    };
    for (const platform of CONTRACT_QUESTIONS.platform) {
      const view = comparisonModal(flow, patterns, platform);
      expect(checkView(view), platform).toEqual([]);
      const text = JSON.stringify(view.blocks);
      for (const t of flow.tools.tools.filter((x) => UNUSABLE_STATUSES.includes(x.status)))
        expect(text, platform).not.toContain(json(t.name));
      for (const [cloud, names] of Object.entries(cloudOnly)) {
        for (const name of names) {
          if (flow.tools.tools.find((t) => t.name === name && UNUSABLE_STATUSES.includes(t.status))) continue;
          if (cloud === platform || platform === 'mixed') expect(text, platform).toContain(json(name));
          else expect(text, platform).not.toContain(json(name));
        }
      }
    }
  });

  it('shows what would change the recommendation from the contract v3 sensitivity, and says so when nothing would', () => {
    const answers: Answers = {
      clusters: 'multi-region',
      pains: ['cross-cluster-calls'],
      network: 'flat',
      cni: 'cilium',
    };
    const rec = recommend(flow, answers);
    const withChange = {
      ...rec,
      sensitivity: [
        {
          question: 'network',
          answer: 'flat',
          alternative: 'overlapping',
          primary: 'service-mesh',
          tools: [{ pattern: 'cluster-mesh', from: 'cilium-clustermesh', to: null }],
          because: 'Overlapping <CIDRs> & gateways',
        },
      ],
    } as Recommendation;
    const text = JSON.stringify(detailsModal(flow, 'T', answers, withChange, WHERE).blocks);
    expect(text).toContain('What would change this');
    expect(text).toContain('*Can pods in one cluster reach pods in another?*');
    const label = (id: string) => flow.questionById.get('network')?.options.find((o) => o.id === id)?.label;
    expect(text).toContain(`“${label('overlapping')}” instead of “${label('flat')}”`);
    expect(text).toContain('the primary becomes Service mesh');
    expect(text).toContain('Cluster mesh: Cilium ClusterMesh → no longer recommended');
    expect(text).toContain('Overlapping &lt;CIDRs&gt; &amp; gateways');
    const none = JSON.stringify(
      detailsModal(flow, 'T', answers, { ...rec, sensitivity: [] } as Recommendation, WHERE).blocks,
    );
    expect(none).toContain('No single different answer changes the outcome.');
    // An engine without v3 says nothing about it rather than something untrue.
    expect(JSON.stringify(detailsModal(flow, 'T', answers, rec, WHERE).blocks)).not.toContain('What would change this');
  });
});

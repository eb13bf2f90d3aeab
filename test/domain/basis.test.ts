import { describe, expect, it } from 'vitest';
import { basisOf, chosenTools, driftKey, driftOf, flowsHash } from '../../src/domain/basis.js';
import type { Answers, Flow, Tool } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';

const flow = getFlow();
const now = new Date('2026-12-06T10:00:00Z');

/** A copy of the flow with some tools' facts changed (the catalogue as it might read next month). */
function withTools(base: Flow, change: (t: Tool) => Tool): Flow {
  const tools = base.tools.tools.map(change);
  return { ...base, tools: { ...base.tools, tools }, toolById: new Map(tools.map((t) => [t.id, t])) };
}

const PROFILES: Answers[] = [
  { clusters: 'one', services: '50-plus', pains: ['mtls', 'flaky-calls'], ops: 'platform-team' },
  {
    clusters: 'multi-region',
    pains: ['region-failover'],
    traffic: 'both',
    data: 'replicated',
    network: 'flat',
    cni: 'cilium',
  },
  { clusters: 'several-same-region', pains: ['cross-cluster-calls'], network: 'flat', cni: 'cilium', platform: 'eks' },
  { clusters: 'multi-region', fleet: '51-plus', pains: ['one-workload-many-clusters'], ops: 'platform-team' },
];

const decided = (answers: Answers) => {
  const recommendation = recommend(flow, answers);
  return { answers, recommendation, chosen: [recommendation.primary, ...recommendation.complements] };
};

describe('a decision basis', () => {
  it.each(PROFILES)('keeps the catalogue facts of each chosen first-choice tool (%j)', (answers) => {
    const d = decided(answers);
    const basis = basisOf(flow, d, now);
    expect(basis.tools.map((t) => t.id)).toEqual(chosenTools(d));
    for (const t of basis.tools) {
      const tool = flow.toolById.get(t.id);
      expect(t).toMatchObject({
        status: tool?.status,
        licence: tool?.licence,
        checked: tool?.checked,
        source: tool?.source,
      });
    }
    expect(basis.recommendation).toEqual(d.recommendation);
    expect(basis.reconstructed).toBe(false);
  });

  it('a reconstructed basis recomputes the advice from the stored answers and says so', () => {
    const d = { ...decided(PROFILES[1] as Answers), recommendation: recommend(flow, { clusters: 'one' }) };
    const basis = basisOf(flow, d, now, true);
    expect(basis.reconstructed).toBe(true);
    expect(basis.recommendation).toEqual(recommend(flow, d.answers));
  });

  it('the flows hash changes with any fact and not with key order', () => {
    const reordered = { ...flow, rules: Object.fromEntries(Object.entries(flow.rules).reverse()) as Flow['rules'] };
    expect(flowsHash(reordered)).toBe(flowsHash(flow));
    expect(flowsHash(withTools(flow, (t) => ({ ...t, checked: '2027-01' })))).not.toBe(flowsHash(flow));
  });
});

describe('drift', () => {
  it.each(PROFILES)('finds none against the catalogue and engine the basis was made with (%j)', (answers) => {
    const d = decided(answers);
    expect(driftOf(flow, basisOf(flow, d, now), answers)).toEqual([]);
  });

  it.each(PROFILES)(
    'names a chosen tool whose status or licence changed, with both values and the source (%j)',
    (answers) => {
      const d = decided(answers);
      const basis = basisOf(flow, d, now);
      const [first] = basis.tools;
      if (!first) throw new Error(`profile without a chosen tool: ${JSON.stringify(answers)}`);
      const later = withTools(flow, (t) =>
        t.id === first.id ? { ...t, status: 'archived', licence: 'BUSL-1.1', source: 'https://example.org/notice' } : t,
      );
      const tool = driftOf(later, basis, answers).filter((x) => x.kind === 'tool');
      expect(tool).toEqual([
        {
          kind: 'tool',
          tool: first.id,
          name: first.name,
          field: 'status',
          from: first.status,
          to: 'archived',
          source: 'https://example.org/notice',
        },
        {
          kind: 'tool',
          tool: first.id,
          name: first.name,
          field: 'licence',
          from: first.licence,
          to: 'BUSL-1.1',
          source: 'https://example.org/notice',
        },
      ]);
    },
  );

  it('ignores changes to tools the team did not choose', () => {
    const answers = PROFILES[0] as Answers;
    const d = decided(answers);
    const chosen = new Set(chosenTools(d));
    const later = withTools(flow, (t) => (chosen.has(t.id) ? t : { ...t, licence: `${t.licence} (changed)` }));
    expect(driftOf(later, basisOf(flow, d, now), answers)).toEqual([]);
  });

  it('finds advice drift when the same answers now give another first choice, naming both and the new reasons', () => {
    const answers = PROFILES[0] as Answers;
    const d = decided(answers);
    const basis = basisOf(flow, d, now);
    const [first] = basis.tools;
    if (!first) throw new Error('no chosen tool');
    // The engine no longer offers the chosen tool (its service ended): the same answers pick another.
    const later = withTools(flow, (t) => (t.id === first.id ? { ...t, status: 'service-ended' } : t));
    const advice = driftOf(later, basis, answers).find((x) => x.kind === 'advice');
    expect(advice).toBeDefined();
    if (advice?.kind !== 'advice') return;
    const moved = advice.tools.find((t) => t.from === first.id);
    expect(moved?.to).not.toBe(first.id);
    expect(driftKey(advice)).toContain(`=${moved?.to ?? '-'}`);
  });

  it('a drift key is stable for the same change and differs for another', () => {
    const a = {
      kind: 'tool',
      tool: 'karmada',
      name: 'Karmada',
      field: 'status',
      from: 'incubating',
      to: 'graduated',
      source: 's',
    } as const;
    expect(driftKey(a)).toBe(driftKey({ ...a }));
    expect(driftKey(a)).not.toBe(driftKey({ ...a, to: 'archived' }));
  });
});

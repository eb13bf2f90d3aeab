import { describe, expect, it } from 'vitest';
import { renderRecommendation, renderSummary, SUMMARY_LINES } from '../../src/cli/render.js';
import { answerLabels, firstChoices, headline, recommendedPatterns, summary } from '../../src/domain/presentation.js';
import { completeAnswers } from '../../src/engine/answers.js';
import type { Answers } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';

const flow = getFlow();
const options = (q: string) => flow.questionById.get(q)?.options.map((o) => o.id) ?? [];

/** Many team profiles through the real engine: every cluster layout, mesh, platform and a spread of pains. */
function profiles(): Answers[] {
  const pains = [
    ['none'],
    ['mtls'],
    ['region-failover'],
    ['cross-cluster-calls'],
    ['one-workload-many-clusters'],
    ['flaky-calls', 'canary'],
  ];
  const out: Answers[] = [];
  let i = 0;
  for (const clusters of options('clusters'))
    for (const existing_mesh of options('existing_mesh'))
      for (const platform of options('platform'))
        for (const p of pains) {
          i++;
          const raw = {
            clusters,
            existing_mesh,
            platform,
            pains: p,
            ops: options('ops')[i % 3] ?? 'part-time',
            ...(clusters === 'one' ? {} : { cni: options('cni')[i % 4] ?? 'unknown' }),
          };
          out.push(completeAnswers(flow, raw as Answers));
        }
  return out;
}

const PROFILES = profiles();

/** The product names the answers say already run (the mesh, the CNI), as the headline reads them. */
const running = (a: Answers) =>
  (['existing_mesh', 'cni'] as const).flatMap((q) =>
    ['none', 'other', 'unknown'].includes(String(a[q])) ? [] : answerLabels(flow, q, a[q]),
  );

describe('the terminal summary on top of the recommendation', () => {
  it(`is at most ${SUMMARY_LINES} lines within the width, for ${PROFILES.length} profiles and three widths`, () => {
    expect(PROFILES.length).toBeGreaterThan(400);
    for (const answers of PROFILES) {
      const rec = recommend(flow, answers);
      for (const width of [40, 80, 132]) {
        const lines = renderSummary(summary(flow, rec, answers), width);
        expect(lines.length, JSON.stringify(answers)).toBeLessThanOrEqual(SUMMARY_LINES);
        for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
        expect(lines[0]).toMatch(/^Do this: {3}\S/);
        expect(lines.at(-1)).toMatch(/^Readiness: (nothing to check first|1 check,|\d+ checks,)/);
      }
    }
  });

  it('names every first-choice tool, says what to do with it, and shows the top warning and the count of checks', () => {
    let extended = 0;
    for (const answers of PROFILES) {
      const rec = recommend(flow, answers);
      const text = renderSummary(summary(flow, rec, answers), 200).join('\n');
      const action = headline(flow, rec, answers);
      for (const { toolName: name } of firstChoices(flow, rec, recommendedPatterns(rec))) {
        if (name === undefined) continue;
        expect(text).toContain(`Tools:     `);
        expect(text).toContain(name);
        // The action names the tool itself, or the running product it extends.
        const product = running(answers)
          .filter((p) => name.toLowerCase().startsWith(p.toLowerCase()))
          .sort((a, b) => b.length - a.length)[0];
        if (product) {
          expect(action.toLowerCase(), name).toContain(`extend your ${product.toLowerCase()}`);
          extended++;
        } else expect(action, name).toContain(name);
      }
      if (rec.warnings[0]) expect(text).toContain(`Watch out: ${rec.warnings[0].split(' ')[0]}`);
      else expect(text).not.toContain('Watch out:');
      expect(text).toContain(rec.checklist.length === 0 ? 'nothing to check first' : `${rec.checklist.length} check`);
    }
    // The rule was exercised: teams running a mesh or Cilium got "extend" headlines.
    expect(extended).toBeGreaterThan(20);
  });

  it('a team that runs Istio is told to extend it, never to adopt it', () => {
    const answers = completeAnswers(flow, {
      clusters: 'multi-region',
      pains: ['region-failover', 'cross-cluster-calls'],
      existing_mesh: 'istio',
      platform: 'eks',
      ops: 'platform-team',
      data: 'replicated',
      traffic: 'user-facing',
    } as Answers);
    const rec = recommend(flow, answers);
    const line = headline(flow, rec, answers);
    expect(line).toMatch(/(^E|, and e)xtend your Istio .*with Istio multi-cluster/);
    expect(line).not.toMatch(/Adopt Istio/);
    expect(line.endsWith('.')).toBe(true);
    const fresh = completeAnswers(flow, { clusters: 'one', pains: ['mtls'], existing_mesh: 'none' } as Answers);
    expect(headline(flow, recommend(flow, fresh), fresh)).toMatch(/^Run Istio/);
    const plain = completeAnswers(flow, { clusters: 'one' } as Answers);
    expect(headline(flow, recommend(flow, plain), plain)).toMatch(/^Stay on plain Kubernetes/);
  });

  it('sits on top of the details: summary, a blank line, then everything the result said before', () => {
    const answers = completeAnswers(flow, {
      clusters: 'one',
      pains: ['mtls', 'flaky-calls'],
      regulated: 'yes',
    } as Answers);
    const rec = recommend(flow, answers);
    const lines = renderRecommendation(flow, rec, 80, answers).split('\n');
    const blank = lines.indexOf('');
    expect(blank).toBeGreaterThan(0);
    expect(blank).toBeLessThanOrEqual(SUMMARY_LINES);
    expect(lines.slice(blank + 1).join('\n')).toMatch(/details\nRecommendation: Service mesh/);
    expect(lines.join('\n')).toMatch(/Before the first cluster changes:\n {2}\[ \] /);
  });
});

describe('the headline reads a first choice’s mode when the recommendation gives one', () => {
  it('names the mode after the tool, and as how a running product is extended', () => {
    const rec = {
      primary: 'service-mesh',
      complements: [],
      tools: [
        {
          pattern: 'service-mesh',
          tool: 'istio-multicluster',
          fit: 'first-choice' as const,
          because: 'x',
          mode: 'ambient' as const,
        },
      ],
    };
    expect(headline(flow, rec, { existing_mesh: 'none' })).toBe(
      'Run Istio multi-cluster (multi-primary), ambient mode for the calls between services.',
    );
    expect(headline(flow, rec, { existing_mesh: 'istio' })).toBe(
      'Extend your Istio with Istio multi-cluster (multi-primary), ambient mode.',
    );
    const named = { ...rec, tools: [{ ...rec.tools[0], tool: 'istio-ambient' }] } as typeof rec;
    // The catalogue's name already says the mode, so it is not said twice.
    expect(headline(flow, named, { existing_mesh: 'istio' })).toBe('Extend your Istio with Istio, ambient mode.');
  });
});

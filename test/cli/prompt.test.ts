import { describe, expect, it } from 'vitest';
import { parseChoice, promptInterview } from '../../src/cli/prompt.js';
import { getFlow } from '../../src/engine/load.js';

const flow = getFlow();

/** Feeds scripted lines to the prompt and collects what it prints. */
function script(lines: string[]) {
  const printed: string[] = [];
  const queue = [...lines];
  return {
    printed,
    ask: async () => queue.shift(),
    print: (t: string) => printed.push(t),
  };
}

describe('promptInterview', () => {
  it('walks every question with numbers, multi-select, help and back', async () => {
    const s = script([
      '3', // clusters: multi-region
      '1', // fleet: 2-5
      '?', // help for services
      '9', // out of range
      '2', // services: 10-49
      'b', // back to services
      '3', // services: 50-plus
      '1, 2', // pains
      '', // regulated: default
      '1', // existing_mesh: none
      '2', // platform: eks
      '1', // ops
      '2', // overhead
      '3', // other_workloads: none
      '1', // deploys (asked because calls are flaky)
    ]);
    const answers = await promptInterview(flow, s.ask, s.print);
    expect(answers).toEqual({
      clusters: 'multi-region',
      fleet: '2-5',
      services: '50-plus',
      pains: ['flaky-calls', 'mtls'],
      regulated: 'no',
      existing_mesh: 'none',
      platform: 'eks',
      ops: 'platform-team',
      overhead: 'normal',
      other_workloads: ['none'],
      deploys: 'daily',
    });
    const text = s.printed.join('\n');
    expect(text).toMatch(/Question 1 of 6: How many Kubernetes clusters/);
    expect(text).toMatch(/Why it matters: A mesh pays off/);
    expect(text).toMatch(/between 1 and 3/);
    expect(text).toMatch(/Question 3 of 8: How many services/);
    expect(text).toMatch(/Question 11 of 11: How often do services ship/);
  });

  it('fails cleanly when input ends early', async () => {
    const s = script(['1']);
    await expect(promptInterview(flow, s.ask, s.print)).rejects.toThrow(/input ended/);
  });
});

describe('parseChoice', () => {
  it('reads numbers or option ids and refuses several for a single question', () => {
    const pains = flow.questionById.get('pains');
    const clusters = flow.questionById.get('clusters');
    if (!pains || !clusters) throw new Error('flow changed');
    expect(parseChoice(pains, '1 mtls')).toEqual(['flaky-calls', 'mtls']);
    expect(parseChoice(clusters, '1,2')).toBeUndefined();
    expect(parseChoice(clusters, 'one')).toBe('one');
    expect(parseChoice(clusters, '0')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyAnswer,
  completeAnswers,
  formatAnswerError,
  nextQuestion,
  parseAnswers,
  progress,
} from '../../src/engine/answers.js';
import { getFlow } from '../../src/engine/load.js';

const flow = getFlow();

describe('the interview path', () => {
  it('asks the questions in order and skips the cluster questions for one cluster', () => {
    let answers = {};
    const asked: string[] = [];
    const script: Record<string, unknown> = { clusters: 'one', pains: ['mtls'] };
    for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
      asked.push(q.id);
      const r = applyAnswer(flow, answers, q.id, script[q.id] ?? q.default);
      if (!r.ok) throw new Error(r.error.message);
      answers = r.value;
    }
    expect(asked).toEqual(['clusters', 'services', 'pains', 'regulated', 'deploys', 'ops', 'overhead']);
  });

  it('asks cni and l7_between_clusters when there are several clusters, with the progress counting them', () => {
    const answers = { clusters: 'multi-region' };
    expect(progress(flow, answers, 'services')).toEqual({ index: 2, total: 9 });
    expect(progress(flow, { clusters: 'one' }, 'services')).toEqual({ index: 2, total: 7 });
  });

  it('changing an earlier answer drops answers to questions that no longer apply', () => {
    const before = { clusters: 'multi-region', services: '10-49', cni: 'cilium', l7_between_clusters: 'yes' };
    const r = applyAnswer(flow, before, 'clusters', 'one');
    expect(r.ok && r.value).toEqual({ clusters: 'one', services: '10-49' });
  });

  it('changing back makes the cluster questions due again', () => {
    const r = applyAnswer(flow, { clusters: 'one', services: '10-49' }, 'clusters', 'several-same-region');
    expect(r.ok && nextQuestion(flow, r.value)?.id).toBe('pains');
  });
});

describe('answers are validated', () => {
  it('refuses an option outside the question and names the allowed ones', () => {
    const r = applyAnswer(flow, {}, 'ops', 'sre');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.question).toBe('ops');
      expect(formatAnswerError(r.error)).toContain('platform-team, part-time, none');
    }
  });

  it('refuses an unknown question', () => {
    const r = parseAnswers(flow, { cloud: 'aws' });
    expect(!r.ok && r.error.kind).toBe('unknown-question');
  });

  it('refuses a list for a single-choice question and a number anywhere', () => {
    expect(applyAnswer(flow, {}, 'clusters', ['one']).ok).toBe(false);
    expect(applyAnswer(flow, {}, 'pains', [1]).ok).toBe(false);
  });

  it('accepts one pain as a string, orders and de-duplicates pains, and reads an empty list as none', () => {
    const one = applyAnswer(flow, {}, 'pains', 'mtls');
    expect(one.ok && one.value.pains).toEqual(['mtls']);
    const many = applyAnswer(flow, {}, 'pains', ['tracing', 'mtls', 'tracing']);
    expect(many.ok && many.value.pains).toEqual(['mtls', 'tracing']);
    const none = applyAnswer(flow, {}, 'pains', []);
    expect(none.ok && none.value.pains).toEqual(['none']);
  });

  it('refuses a file that is not an object', () => {
    expect(parseAnswers(flow, ['clusters']).ok).toBe(false);
    expect(parseAnswers(flow, null).ok).toBe(false);
  });

  it('fills defaults for missing questions that apply', () => {
    expect(completeAnswers(flow, { clusters: 'one' })).toEqual({
      clusters: 'one',
      services: 'under-10',
      pains: ['none'],
      regulated: 'no',
      deploys: 'weekly',
      ops: 'part-time',
      overhead: 'normal',
    });
    expect(completeAnswers(flow, { clusters: 'multi-region' })).toMatchObject({
      cni: 'unknown',
      l7_between_clusters: 'no',
    });
  });
});

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
  it('asks the questions in order, skips the cluster questions for one cluster and what cannot change the outcome', () => {
    let answers = {};
    const asked: string[] = [];
    const script: Record<string, unknown> = { clusters: 'one', pains: ['mtls'] };
    for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
      asked.push(q.id);
      const r = applyAnswer(flow, answers, q.id, script[q.id] ?? q.default);
      if (!r.ok) throw new Error(r.error.message);
      answers = r.value;
    }
    expect(asked).toEqual([
      'clusters',
      'services',
      'pains',
      'regulated',
      'existing_mesh',
      'platform',
      'ops',
      'overhead',
      'other_workloads',
    ]);
  });

  it('asks a one-cluster team with nothing that hurts only the questions that matter', () => {
    let answers = {};
    const asked: string[] = [];
    for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
      asked.push(q.id);
      const r = applyAnswer(flow, answers, q.id, q.default);
      if (!r.ok) throw new Error(r.error.message);
      answers = r.value;
    }
    expect(asked).toEqual(['clusters', 'services', 'pains', 'regulated', 'existing_mesh', 'ops']);
  });

  it('never asks a one-cluster team more than 9 questions, whatever it answers', () => {
    // The longest one-cluster path: every pain that opens a follow-up, a rule with FIPS, a mesh already running.
    const script: Record<string, unknown> = {
      clusters: 'one',
      pains: ['flaky-calls', 'mtls', 'canary', 'tracing', 'region-failover'],
      regulated: 'yes',
      fips: 'yes',
      existing_mesh: 'istio',
      traffic: 'internal',
    };
    let answers = {};
    const asked: string[] = [];
    for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
      asked.push(q.id);
      const r = applyAnswer(flow, answers, q.id, script[q.id] ?? q.default);
      if (!r.ok) throw new Error(r.error.message);
      answers = r.value;
    }
    expect(asked.length).toBeLessThanOrEqual(9);
    expect(asked).toEqual(expect.arrayContaining(['clusters', 'pains', 'traffic', 'regulated', 'fips']));
    expect(asked).not.toContain('cni');
  });

  it('asks the network questions only when something crosses clusters', () => {
    const quiet = { clusters: 'multi-region', fleet: '2-5', services: '10-49', pains: ['flaky-calls'] };
    expect(nextQuestion(flow, quiet)?.id).toBe('regulated');
    const crossing = { ...quiet, pains: ['cross-cluster-calls'] };
    expect(nextQuestion(flow, crossing)?.id).toBe('network');
  });

  it('asks cni and l7_between_clusters when there are several clusters, with the progress counting them', () => {
    const answers = { clusters: 'multi-region' };
    expect(progress(flow, answers, 'services')).toEqual({ index: 3, total: 8 });
    expect(progress(flow, { clusters: 'one' }, 'services')).toEqual({ index: 2, total: 6 });
    const crossing = { clusters: 'multi-region', pains: ['cross-cluster-calls'] };
    expect(progress(flow, crossing, 'cni')).toEqual({ index: 6, total: 13 });
  });

  it('changing an earlier answer drops answers to questions that no longer apply', () => {
    const before = {
      clusters: 'multi-region',
      fleet: '6-50',
      services: '10-49',
      cni: 'cilium',
      l7_between_clusters: 'yes',
    };
    const r = applyAnswer(flow, before, 'clusters', 'one');
    expect(r.ok && r.value).toEqual({ clusters: 'one', services: '10-49' });
  });

  it('changing back makes the cluster questions due again', () => {
    const r = applyAnswer(flow, { clusters: 'one', services: '10-49' }, 'clusters', 'several-same-region');
    expect(r.ok && nextQuestion(flow, r.value)?.id).toBe('fleet');
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

  it('refuses one pain as a string, orders and de-duplicates pains, and reads an empty list as none', () => {
    const one = applyAnswer(flow, {}, 'pains', 'mtls');
    expect(one.ok).toBe(false);
    if (!one.ok)
      expect(formatAnswerError(one.error)).toMatch(/"pains" takes a list.*allowed options for "pains": flaky-calls/);
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
      existing_mesh: 'none',
      platform: 'self-managed',
      ops: 'part-time',
      overhead: 'normal',
      other_workloads: ['none'],
      deploys: 'weekly',
    });
    expect(completeAnswers(flow, { clusters: 'multi-region' })).toMatchObject({
      cni: 'unknown',
      l7_between_clusters: 'no',
    });
  });
});

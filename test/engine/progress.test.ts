import { describe, expect, it } from 'vitest';
import { applyAnswer, nextQuestion } from '../../src/engine/answers.js';
import type { Answers, AnswerValue, Condition, Flow, Question } from '../../src/engine/flow.js';
import { getFlow } from '../../src/engine/load.js';
import { questionsLeft } from '../../src/engine/progress.js';

const flow = getFlow();

/** Question ids a condition reads. */
function reads(c: Condition | undefined): string[] {
  if (!c) return [];
  if ('question' in c) return [c.question];
  if ('all' in c) return c.all.flatMap(reads);
  if ('any' in c) return c.any.flatMap(reads);
  if ('not' in c) return reads(c.not);
  return [];
}

/** Every question whose answer decides which questions are asked. */
const steering = new Set([
  ...flow.interview.questions.flatMap((q) => [...reads(q.when), ...reads(q.ask)]),
  ...reads(flow.interview.askAtMost?.when),
]);

function subsets(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 1 << ids.length; mask++) out.push(ids.filter((_, i) => mask & (1 << i)));
  return out;
}

/**
 * The answers worth trying for a question: every option (every non-empty
 * combination for a multi-choice one) when its answer steers the interview;
 * otherwise one, since which option it is cannot change what is asked next.
 */
function choicesOf(q: Question): AnswerValue[] {
  const ids = q.options.map((o) => o.id);
  if (!steering.has(q.id)) return [q.kind === 'multi' ? [ids[0] ?? ''] : (ids[0] ?? '')];
  return q.kind === 'multi' ? subsets(ids) : ids;
}

function answered(f: Flow, answers: Answers, q: Question, value: AnswerValue): Answers {
  const r = applyAnswer(f, answers, q.id, value);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Walks every answer path from `answers`, checking each step; returns how many paths it walked. */
function walk(answers: Answers, asked: number, bound: number, worst: { asked: number }): number {
  const q = nextQuestion(flow, answers);
  const left = questionsLeft(flow, answers);
  if (!q) {
    expect(left).toBe(0);
    worst.asked = Math.max(worst.asked, asked);
    return 1;
  }
  // The next question is promised, and the bound fell by at least one since the last answer.
  expect(left).toBeGreaterThanOrEqual(1);
  expect(left).toBeLessThanOrEqual(bound - 1);
  let paths = 0;
  for (const value of choicesOf(q)) paths += walk(answered(flow, answers, q, value), asked + 1, left, worst);
  return paths;
}

/** A small deterministic generator, so a failing path can be replayed from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('questionsLeft: the bound on the questions still to come', () => {
  it('falls by at least one with every answer and reaches 0 exactly when the interview ends, on every answer path', () => {
    const start = questionsLeft(flow, {});
    expect(start).toBe(flow.interview.questions.length);
    const worst = { asked: 0 };
    const paths = walk({}, 0, start + 1, worst);
    // Every way of answering the questions that steer the interview was walked.
    expect(paths).toBeGreaterThan(1000);
    // The bound at the start is never below what the longest path asks.
    expect(start).toBeGreaterThanOrEqual(worst.asked);
  }, 120_000);

  it('holds on random paths where every question takes a random answer (several options for multi-choice)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = random(seed);
      let answers: Answers = {};
      let bound = questionsLeft(flow, answers);
      let asked = 0;
      for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
        const ids = q.options.map((o) => o.id);
        const value =
          q.kind === 'multi' ? ids.filter(() => rnd() < 0.4) : (ids[Math.floor(rnd() * ids.length)] ?? ids[0] ?? '');
        answers = answered(flow, answers, q, value);
        asked += 1;
        const left = questionsLeft(flow, answers);
        expect(left, `seed ${seed} after ${q.id}`).toBeLessThanOrEqual(bound - 1);
        bound = left;
      }
      expect(bound).toBe(0);
      expect(asked).toBeLessThanOrEqual(flow.interview.questions.length);
    }
  });

  it('counts only what can still come up: one cluster is capped, several regions with a region loss keep the data question', () => {
    const one = answered(flow, {}, flow.questionById.get('clusters') as Question, 'one');
    const cap = flow.interview.askAtMost?.questions ?? 0;
    expect(questionsLeft(flow, one)).toBe(cap - 1);
    const multi = answered(flow, {}, flow.questionById.get('clusters') as Question, 'multi-region');
    const beforePains = questionsLeft(flow, multi);
    const withFailover = answered(flow, multi, flow.questionById.get('pains') as Question, ['region-failover']);
    const withNone = answered(flow, multi, flow.questionById.get('pains') as Question, ['none']);
    // Nothing that hurts rules out the follow-ups on failover and cross-cluster calls.
    expect(questionsLeft(flow, withNone)).toBeLessThan(questionsLeft(flow, withFailover));
    expect(questionsLeft(flow, withFailover)).toBeLessThan(beforePains);
  });
});

import { match } from 'ts-pattern';
import type { Answers, AnswerValue, Condition, Flow, Question } from './flow.js';
import { err, ok, type Result } from './result.js';

/** Why an answer was refused: names the question and what it allows. */
export type AnswerError = {
  kind: 'unknown-question' | 'bad-option' | 'bad-file';
  question: string;
  message: string;
  allowed: string[];
};

/** True when the condition holds; a condition on an unanswered question is false. */
export function holds(cond: Condition, answers: Answers, recommended: ReadonlySet<string> = new Set()): boolean {
  if ('question' in cond) {
    const value = answers[cond.question];
    if (value === undefined) return false;
    // Called tens of thousands of times per recommendation (sensitivity re-runs): no allocation here.
    if (typeof value === 'string') return 'anyOf' in cond ? cond.anyOf.includes(value) : !cond.noneOf.includes(value);
    return 'anyOf' in cond ? value.some((v) => cond.anyOf.includes(v)) : value.every((v) => !cond.noneOf.includes(v));
  }
  if ('all' in cond) return cond.all.every((c) => holds(c, answers, recommended));
  if ('any' in cond) return cond.any.some((c) => holds(c, answers, recommended));
  if ('not' in cond) return !holds(cond.not, answers, recommended);
  return cond.recommends.some((p) => recommended.has(p));
}

/** The questions that apply to these answers, in interview order. */
export function applicableQuestions(flow: Flow, answers: Answers): Question[] {
  return flow.interview.questions.filter((q) => !q.when || holds(q.when, answers));
}

/**
 * The questions the interview asks for these answers, in order: those that apply and whose answer can
 * change the outcome (`ask`), capped by `askAtMost`; answered ones always count. The rest keep their defaults.
 */
export function askedQuestions(flow: Flow, answers: Answers): Question[] {
  const cap = flow.interview.askAtMost;
  const limit = cap && holds(cap.when, answers) ? cap.questions : Number.POSITIVE_INFINITY;
  const asked: Question[] = [];
  for (const q of applicableQuestions(flow, answers)) {
    if (answers[q.id] !== undefined) asked.push(q);
    else if ((!q.ask || holds(q.ask, answers)) && asked.length < limit) asked.push(q);
  }
  return asked;
}

/** The next question to ask, or undefined when the interview is complete. */
export function nextQuestion(flow: Flow, answers: Answers): Question | undefined {
  return askedQuestions(flow, answers).find((q) => answers[q.id] === undefined);
}

/** "question 3 of 8": the position of a question among those asked now. */
export function progress(flow: Flow, answers: Answers, questionId: string): { index: number; total: number } {
  const list = askedQuestions(flow, answers);
  return { index: list.findIndex((q) => q.id === questionId) + 1, total: list.length };
}

const allowedOf = (q: Question) => q.options.map((o) => o.id);

/** Checks one answer against its question; a multi answer must be a list of option ids. */
export function validateAnswer(flow: Flow, questionId: string, value: unknown): Result<AnswerValue, AnswerError> {
  const q = flow.questionById.get(questionId);
  if (!q) {
    return err({
      kind: 'unknown-question',
      question: questionId,
      message: `unknown question "${questionId}"`,
      allowed: flow.interview.questions.map((x) => x.id),
    });
  }
  const allowed = allowedOf(q);
  const refuse = (message: string) => err({ kind: 'bad-option' as const, question: q.id, message, allowed });
  return match(q.kind)
    .with('single', (): Result<AnswerValue, AnswerError> => {
      if (typeof value !== 'string') return refuse(`"${q.id}" takes one option id as a string`);
      if (!allowed.includes(value)) return refuse(`"${value}" is not an option of "${q.id}"`);
      return ok(value);
    })
    .with('multi', (): Result<AnswerValue, AnswerError> => {
      const list = value;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
        return refuse(`"${q.id}" takes a list (JSON array) of option ids, such as ["${allowed[0]}"]`);
      }
      const bad = (list as string[]).find((v) => !allowed.includes(v));
      if (bad !== undefined) return refuse(`"${bad}" is not an option of "${q.id}"`);
      // An empty choice means nothing hurts; keep the option order for stable output.
      const chosen = list.length === 0 ? ['none'] : allowed.filter((o) => list.includes(o));
      return ok(chosen);
    })
    .exhaustive();
}

/** Drops answers to questions that no longer apply (an earlier answer changed). */
export function prune(flow: Flow, answers: Answers): Answers {
  const out: Answers = {};
  for (const q of applicableQuestions(flow, answers)) {
    const v = answers[q.id];
    if (v !== undefined) out[q.id] = v;
  }
  return out;
}

/** Records an answer (new or changed) and recomputes which later questions still apply. */
export function applyAnswer(
  flow: Flow,
  answers: Answers,
  questionId: string,
  value: unknown,
): Result<Answers, AnswerError> {
  const checked = validateAnswer(flow, questionId, value);
  if (!checked.ok) return checked;
  return ok(prune(flow, { ...answers, [questionId]: checked.value }));
}

/** Answers for every applicable question: given ones kept, missing ones defaulted, an empty multi choice as its default. */
export function completeAnswers(flow: Flow, answers: Answers): Answers {
  const out: Answers = {};
  for (const q of flow.interview.questions) {
    if (q.when && !holds(q.when, out)) continue;
    const given = answers[q.id];
    out[q.id] = given === undefined || (Array.isArray(given) && given.length === 0) ? q.default : given;
  }
  return out;
}

/** A "none" option ticked beside real choices is a contradiction: the real choices win. */
export function withoutNoneBesideChoices(flow: Flow, answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const q of flow.interview.questions) {
    const v = out[q.id];
    if (q.kind === 'multi' && Array.isArray(v) && v.length > 1 && v.includes('none')) {
      out[q.id] = v.filter((x) => x !== 'none');
    }
  }
  return out;
}

/** Validates an answers file's content: a JSON object of question id to option id(s). */
export function parseAnswers(flow: Flow, raw: unknown): Result<Answers, AnswerError> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return err({
      kind: 'bad-file',
      question: '(file)',
      message: 'an answers file is a JSON object of question id to option id',
      allowed: flow.interview.questions.map((q) => q.id),
    });
  }
  const answers: Answers = {};
  for (const [key, value] of Object.entries(raw)) {
    const checked = validateAnswer(flow, key, value);
    if (!checked.ok) return checked;
    answers[key] = checked.value;
  }
  return ok(answers);
}

/** A person-readable line for an answer error. */
export function formatAnswerError(e: AnswerError): string {
  return match(e.kind)
    .with('bad-option', () => `${e.message}; allowed options for "${e.question}": ${e.allowed.join(', ')}`)
    .with('unknown-question', 'bad-file', () => `${e.message}; known questions: ${e.allowed.join(', ')}`)
    .exhaustive();
}

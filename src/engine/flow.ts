import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a lower-case id (letters, digits, - and _)');

/** A condition on the answers; `recommends` is only meaningful in warnings. */
export type Condition =
  | { question: string; anyOf: string[] }
  | { question: string; noneOf: string[] }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { recommends: string[] };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: Id, anyOf: z.array(Id).min(1) }),
    z.strictObject({ question: Id, noneOf: z.array(Id).min(1) }),
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    z.strictObject({ recommends: z.array(Id).min(1) }),
  ]),
);

export const Option = z.strictObject({ id: Id, label: z.string().min(1) });
export type Option = z.infer<typeof Option>;

/** One interview question; `multi` answers are arrays of option ids. */
export const Question = z.strictObject({
  id: Id,
  kind: z.enum(['single', 'multi']),
  prompt: z.string().min(1),
  help: z.string().min(1),
  default: z.union([Id, z.array(Id).min(1)]),
  options: z.array(Option).min(2).max(10),
  when: Condition.optional(),
});
export type Question = z.infer<typeof Question>;

export const InterviewFile = z.strictObject({
  id: Id,
  version: z.number().int().positive(),
  questions: z.array(Question).min(1),
});
export type InterviewFile = z.infer<typeof InterviewFile>;

export const Tool = z.strictObject({ name: z.string().min(1), status: z.string().min(1) });
export type Tool = z.infer<typeof Tool>;

const Lines = z.array(z.string().min(1)).min(1);

/** A pattern of the catalogue: what it is, when it fits, what runs it today. */
export const Pattern = z.strictObject({
  id: Id,
  name: z.string().min(1),
  layer: z.string().min(1),
  solves: z.string().min(1),
  shines: Lines,
  avoidWhen: Lines,
  pros: Lines,
  cons: Lines,
  requirements: Lines,
  tools: z.array(Tool).min(1),
  alternatives: z.array(Id).default([]),
});
export type Pattern = z.infer<typeof Pattern>;

export const PatternsFile = z.strictObject({ patterns: z.array(Pattern).min(1) });
export type PatternsFile = z.infer<typeof PatternsFile>;

/** A rule turns a condition on the answers into evidence for or against a pattern. */
export const Rule = z.strictObject({
  id: Id,
  when: Condition,
  pattern: Id,
  effect: z.enum(['support', 'against', 'rule-out']),
  weight: z.number().int().positive().default(1),
  because: z.string().min(1),
  cites: Id.optional(),
});
export type Rule = z.infer<typeof Rule>;

export const Warning = z.strictObject({ id: Id, when: Condition, text: z.string().min(1) });
export type Warning = z.infer<typeof Warning>;

export const RulesFile = z.strictObject({
  threshold: z.number().int().positive(),
  fallback: z.strictObject({ pattern: Id, question: Id, because: z.string().min(1) }),
  rules: z.array(Rule).min(1),
  warnings: z.array(Warning).default([]),
});
export type RulesFile = z.infer<typeof RulesFile>;

/** Everything loaded from flows/, cross-checked. */
export type Flow = {
  interview: InterviewFile;
  patterns: Pattern[];
  rules: RulesFile;
  questionById: ReadonlyMap<string, Question>;
  patternById: ReadonlyMap<string, Pattern>;
};

/** An answer value: one option id, or several for a multi question. */
export type AnswerValue = string | string[];
/** Answers by question id. */
export type Answers = Record<string, AnswerValue>;
export const AnswersSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

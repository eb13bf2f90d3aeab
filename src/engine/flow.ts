import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a lower-case id (letters, digits, - and _)');

/** A condition on the answers; `recommends` (a pattern is recommended) only where patterns are already placed. */
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
  /** A few words naming the question in a list of answers ("Clusters", "Pains"); the prompt when absent. */
  short: z.string().min(1).max(40).optional(),
  help: z.string().min(1),
  default: z.union([Id, z.array(Id).min(1)]),
  options: z.array(Option).min(2).max(10),
  /** The contract's applicability: when false the question does not apply and its answer is dropped. */
  when: Condition.optional(),
  /** The interview asks an applicable question only when this holds too; otherwise its default stands. */
  ask: Condition.optional(),
});
export type Question = z.infer<typeof Question>;

export const InterviewFile = z.strictObject({
  id: Id,
  version: z.number().int().positive(),
  /** Past this many asked questions (when the condition holds), the rest keep their defaults. */
  askAtMost: z.strictObject({ when: Condition, questions: z.number().int().positive() }).optional(),
  questions: z.array(Question).min(1),
});
export type InterviewFile = z.infer<typeof InterviewFile>;

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

/** A reason given without a rule: for the fallback pattern, or for a pattern placed in notNow with none of its own. */
export const StockReason = z.strictObject({ when: Condition.optional(), question: Id, because: z.string().min(1) });
export type StockReason = z.infer<typeof StockReason>;

/** Something the answers need (a pain, or mTLS by rule); unaddressed, it becomes a warning naming it. */
export const Need = z.strictObject({
  id: Id,
  when: Condition,
  addressedBy: Condition,
  unaddressed: z.array(z.strictObject({ when: Condition.optional(), text: z.string().min(1) })).min(1),
});
export type Need = z.infer<typeof Need>;

export const RulesFile = z.strictObject({
  threshold: z.number().int().positive(),
  fallback: z.strictObject({ pattern: Id, reasons: z.array(StockReason).min(1) }),
  notNowFallback: z.array(StockReason.extend({ pattern: Id })).default([]),
  rules: z.array(Rule).min(1),
  needs: z.array(Need).default([]),
  warnings: z.array(Warning).default([]),
});
export type RulesFile = z.infer<typeof RulesFile>;

export const ToolStatus = z.enum(['ga', 'beta', 'preview', 'archived', 'service-ended']);
export type ToolStatus = z.infer<typeof ToolStatus>;

/** A concrete tool within a pattern, with the facts the rules rely on and where they were checked. */
export const Tool = z.strictObject({
  id: Id,
  pattern: Id,
  name: z.string().min(1),
  status: ToolStatus,
  licence: z.string().min(1),
  commercial: z.boolean().default(false),
  summary: z.string().min(1),
  facts: Lines,
  checked: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date: YYYY-MM or YYYY-MM-DD'),
  source: z.url(),
});
export type Tool = z.infer<typeof Tool>;

/** Moves a tool up or down within its pattern, or rules it out (`avoid`) with the reason shown. */
export const ToolRule = z.strictObject({
  id: Id,
  tool: Id,
  when: Condition.optional(),
  effect: z.enum(['support', 'against', 'avoid']),
  weight: z.number().int().nonnegative().default(1),
  because: z.string().min(1),
});
export type ToolRule = z.infer<typeof ToolRule>;

export const ToolsFile = z.strictObject({ tools: z.array(Tool).min(1), choices: z.array(ToolRule).min(1) });
export type ToolsFile = z.infer<typeof ToolsFile>;

/** A readiness item: listed when its pattern is recommended (and its tool chosen first, and its condition holds). */
export const ChecklistEntry = z.strictObject({
  id: Id,
  pattern: Id,
  tool: Id.optional(),
  when: Condition.optional(),
  item: z.string().min(1),
  because: z.string().min(1),
});
export type ChecklistEntry = z.infer<typeof ChecklistEntry>;

export const ChecklistFile = z.strictObject({ items: z.array(ChecklistEntry).min(1) });
export type ChecklistFile = z.infer<typeof ChecklistFile>;

/** Everything loaded from flows/, cross-checked. */
export type Flow = {
  interview: InterviewFile;
  patterns: Pattern[];
  rules: RulesFile;
  tools: ToolsFile;
  checklist: ChecklistFile;
  questionById: ReadonlyMap<string, Question>;
  patternById: ReadonlyMap<string, Pattern>;
  toolById: ReadonlyMap<string, Tool>;
};

/** An answer value: one option id, or several for a multi question. */
export type AnswerValue = string | string[];
/** Answers by question id. */
export type Answers = Record<string, AnswerValue>;
export const AnswersSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

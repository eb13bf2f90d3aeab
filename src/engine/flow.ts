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
  /** The reason argues for this layer's tools that carry these calls; it is dropped when another layer carries them. */
  carrying: z.enum(['east-west', 'north-south']).optional(),
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

/** Which calls a layer's tool carries between clusters: service to service (east-west) or users in (north-south). */
export const Carries = z.enum(['east-west', 'north-south']);
export type Carries = z.infer<typeof Carries>;

/**
 * One path per call: when `carrier` and `drop` are both recommended (and `when` holds), `drop` leaves, or only
 * its tools that carry `carrying` calls do; the layer moves to "not now" with `because` when nothing is left.
 */
export const OnePath = z.strictObject({
  id: Id,
  carrier: Id,
  drop: Id,
  carrying: Carries.optional(),
  when: Condition.optional(),
  cites: Id,
  because: z.string().min(1),
});
export type OnePath = z.infer<typeof OnePath>;

export const RulesFile = z.strictObject({
  threshold: z.number().int().positive(),
  fallback: z.strictObject({ pattern: Id, reasons: z.array(StockReason).min(1) }),
  notNowFallback: z.array(StockReason.extend({ pattern: Id })).default([]),
  rules: z.array(Rule).min(1),
  needs: z.array(Need).default([]),
  onePath: z.array(OnePath).default([]),
  /** Layers from the lightest to run to the heaviest: breaks a tie in score after the evidence against. */
  lighterFirst: z.array(Id).default([]),
  warnings: z.array(Warning).default([]),
});
export type RulesFile = z.infer<typeof RulesFile>;

export const ToolStatus = z.enum(['ga', 'beta', 'preview', 'archived', 'service-ended']);
export type ToolStatus = z.infer<typeof ToolStatus>;

/** What a capability is: documented (true), documented as missing (false), or not documented in our sources. */
const Can = z.union([z.boolean(), z.literal('unknown')]);

/** Who runs a tool's control plane: the cloud (managed), the team (self-managed), or nobody (a library, an API). */
export const ControlPlane = z.enum(['managed', 'self-managed', 'none']);
export type ControlPlane = z.infer<typeof ControlPlane>;

/** What a tool can do, as its sources document it; the engine offers a tool only when these cover the answers' needs. */
export const Capabilities = z.strictObject({
  spansClusters: Can,
  /** Joins clusters whose pod networks overlap or are not routable, through gateways. */
  spansNetworks: Can,
  vms: Can,
  /** Runs on clusters that also have Windows nodes (meshing the Linux part). */
  windows: Can,
  /** A documented route to FIPS 140-validated cryptography (often a commercial build). */
  fips: Can,
  gamma: Can,
  ambient: Can,
  controlPlane: ControlPlane,
  /** Platforms where the provider runs the control plane although it is self-managed elsewhere. */
  managedOn: z.array(Id).default([]),
  /** Platforms that offer it; absent: any platform. */
  platforms: z.array(Id).min(1).optional(),
  /** Work to keep it running, 0 (someone else runs it) to 3 (a control plane per cluster to upgrade and debug). */
  upkeep: z.number().int().min(0).max(3),
  carries: z.array(Carries).default([]),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const CAPABILITY_KEYS = [
  'spansClusters',
  'spansNetworks',
  'vms',
  'windows',
  'fips',
  'gamma',
  'ambient',
] as const;
/** A capability an answer can need; `managed` means the team runs no control plane of the tool's. */
export const NeededCapability = z.enum([...CAPABILITY_KEYS, 'managed']);
export type NeededCapability = z.infer<typeof NeededCapability>;

const Month = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date: YYYY-MM or YYYY-MM-DD');

/** One claim about a tool, with the page that documents it and when it was checked. */
export const Fact = z.strictObject({ text: z.string().min(1), source: z.url(), checked: Month });
export type Fact = z.infer<typeof Fact>;

/** A concrete tool within a pattern, with the facts the rules rely on and where they were checked. */
export const Tool = z.strictObject({
  id: Id,
  pattern: Id,
  name: z.string().min(1),
  /** The project or product it is; tools of one project are modes or topologies of each other, never alternatives. */
  project: Id,
  /** The existing_mesh answers this tool continues (extending what runs). */
  continues: z.array(Id).default([]),
  status: ToolStatus,
  licence: z.string().min(1),
  commercial: z.boolean().default(false),
  summary: z.string().min(1),
  can: Capabilities,
  /** The documented limit, by capability, shown when a need rules the tool out. */
  limits: z.partialRecord(NeededCapability, z.string().min(1)).default({}),
  /** When a team would reach for it: only then is an `avoid` shown. Absent: on the platforms that offer it. */
  reachFor: Condition.optional(),
  facts: z.array(Fact).min(1),
  checked: Month,
  source: z.url(),
});
export type Tool = z.infer<typeof Tool>;

/** Moves tools up or down within their pattern, or rules them out (`avoid`) with the reason shown. */
export const ToolRule = z.strictObject({
  id: Id,
  tool: z.union([Id, z.array(Id).min(1)]),
  when: Condition.optional(),
  effect: z.enum(['support', 'against', 'avoid']),
  weight: z.number().int().nonnegative().default(1),
  because: z.string().min(1),
  /** A page documenting what `because` claims, when it is not the tool's own source. */
  source: z.url().optional(),
});
export type ToolRule = z.infer<typeof ToolRule>;

/** A capability the answers need from a layer's tools; a tool without it is never offered. */
export const CapabilityNeed = z.strictObject({
  id: Id,
  capability: NeededCapability,
  patterns: z.array(Id).min(1),
  /** Only tools that carry these calls need it (absent: every tool of the patterns). */
  carrying: Carries.optional(),
  when: Condition,
  /** What the tool must be able to do, after "can": "span several clusters". */
  can: z.string().min(1),
  /** Why a tool without it is ruled out; `{tool}` is its name. */
  missing: z.string().min(1),
  /** Why a recommended layer with no tool left moves to "not now"; `{layer}` is its name. */
  layer: z.string().min(1),
  /** The question the layer's reason cites. */
  cites: Id,
  /** A warning naming what leaving the layer out gives up; `{layer}` is its name. */
  givesUp: z.string().min(1).optional(),
});
export type CapabilityNeed = z.infer<typeof CapabilityNeed>;

/** The data-plane mode a first choice runs in, with why. */
export const ToolMode = z.strictObject({
  tool: Id,
  mode: z.enum(['sidecar', 'ambient']),
  when: Condition.optional(),
  because: z.string().min(1),
});
export type ToolMode = z.infer<typeof ToolMode>;

export const ToolsFile = z.strictObject({
  tools: z.array(Tool).min(1),
  needs: z.array(CapabilityNeed).default([]),
  modes: z.array(ToolMode).default([]),
  choices: z.array(ToolRule).min(1),
});
export type ToolsFile = z.infer<typeof ToolsFile>;

/** A readiness item: listed when its pattern is recommended (and its tool chosen first, and its condition holds). */
export const ChecklistEntry = z.strictObject({
  id: Id,
  pattern: Id,
  /** Listed only when one of these tools is the pattern's first choice. */
  tool: z.union([Id, z.array(Id).min(1)]).optional(),
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

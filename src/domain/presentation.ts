import { z } from 'zod';
import { UNUSABLE_STATUSES } from '../engine/contract.js';
import type { Answers, AnswerValue, Condition, Flow, Tool } from '../engine/flow.js';
import type { Reason } from '../engine/recommend.js';
import { canDeprecate, canReject, canReopen } from './lifecycle.js';
import type { Decision, DecisionStatus, Recommendation } from './model.js';

export { canDeprecate, canReject, canReopen, REOPENABLE } from './lifecycle.js';

/**
 * What a decision record shows, computed once for every surface: the Slack
 * blocks, the MADR and HTML exports and the terminal all read these values
 * and only format and escape them. Everything here is pure and returns plain,
 * unescaped text.
 */

/** The title of an interview started without one; its record is named after what was chosen instead. */
export const DEFAULT_TITLE = 'Service mesh, cluster mesh or federation?';

/** `ADR-0007`: a record's number as people cite it. */
export const adrId = (n: number): string => `ADR-${String(n).padStart(4, '0')}`;

/** The patterns a recommendation puts forward: the primary, then its complements. */
export const recommendedPatterns = (r: Pick<Recommendation, 'primary' | 'complements'>): string[] => [
  r.primary,
  ...r.complements,
];

/** True when the team chose something other than what was recommended. */
export function isOverride(d: Pick<Decision, 'chosen' | 'recommendation'>): boolean {
  const rec = recommendedPatterns(d.recommendation);
  return rec.length !== d.chosen.length || rec.some((p) => !d.chosen.includes(p));
}

/** A pattern's name as people read it; its id when the catalogue no longer has it. */
export const patternName = (flow: Flow, id: string): string => flow.patternById.get(id)?.name ?? id;

/** The names of several patterns, in order (each surface joins them its own way). */
export const patternNameList = (flow: Flow, ids: readonly string[]): string[] => ids.map((id) => patternName(flow, id));

/** The option labels of an answer, one per chosen option (an option the flow lost shows its id); none when unanswered. */
export function answerLabels(flow: Flow, questionId: string, value: AnswerValue | undefined): string[] {
  if (value === undefined) return [];
  const options = flow.questionById.get(questionId)?.options ?? [];
  const labelOf = (id: string) => options.find((o) => o.id === id)?.label ?? id;
  return (Array.isArray(value) ? value : [value]).map(labelOf);
}

/** What the team chose, by name, and, when it overrode the recommendation, what was recommended and why. */
export type ChoiceView = {
  chosen: string[];
  override: { recommended: string[]; reason: string | undefined } | undefined;
};

export function choiceView(flow: Flow, d: Pick<Decision, 'chosen' | 'recommendation' | 'overrideReason'>): ChoiceView {
  return {
    chosen: patternNameList(flow, d.chosen),
    override: isOverride(d)
      ? { recommended: patternNameList(flow, recommendedPatterns(d.recommendation)), reason: d.overrideReason }
      : undefined,
  };
}

/** One answer a chosen pattern rests on: the reason, the question it cites and how it was answered. */
export type Driver = {
  pattern: string;
  question: string;
  because: string;
  /** The question's prompt; undefined when the flow no longer has the question. */
  prompt: string | undefined;
  /** The answer's option labels; undefined when the record has no answer to the question. */
  labels: string[] | undefined;
};

/** The decision drivers: the answers the adopted patterns rest on, the team's own reason, the warnings. */
export type Drivers = {
  answers: Driver[];
  /** The reason the team gave for overriding the recommendation (only on an override, and only when not blank). */
  teamReason: string | undefined;
  warnings: string[];
};

export function decisionDrivers(
  flow: Flow,
  d: Pick<Decision, 'chosen' | 'recommendation' | 'answers' | 'overrideReason'>,
): Drivers {
  const rec = d.recommendation;
  const recommended = recommendedPatterns(rec);
  const driving = rec.reasons.filter((r) => d.chosen.includes(r.pattern) && recommended.includes(r.pattern));
  // On an override that kept none of the recommended patterns, the recommendation's own reasons still explain it.
  const reasons = driving.length ? driving : rec.reasons.filter((r) => recommended.includes(r.pattern));
  const seen = new Set<string>();
  const answers: Driver[] = [];
  for (const r of reasons) {
    const key = `${r.question}\n${r.because}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const value = d.answers[r.question];
    answers.push({
      pattern: r.pattern,
      question: r.question,
      because: r.because,
      prompt: flow.questionById.get(r.question)?.prompt,
      labels: value === undefined ? undefined : answerLabels(flow, r.question, value),
    });
  }
  const teamReason = isOverride(d) && d.overrideReason?.trim() ? d.overrideReason : undefined;
  return { answers, teamReason, warnings: [...rec.warnings] };
}

/** The good and bad that come with one chosen pattern, from the pattern catalogue. */
export type PatternConsequences = { pattern: string; name: string; good: string[]; bad: string[] };

/** The consequences of a decision: per chosen pattern the catalogue knows, then the recommendation's warnings. */
export type Consequences = {
  patterns: PatternConsequences[];
  /** Several patterns were chosen: each consequence says which one it belongs to. */
  tagged: boolean;
  warnings: string[];
};

export function decisionConsequences(flow: Flow, d: Pick<Decision, 'chosen' | 'recommendation'>): Consequences {
  const patterns = d.chosen.flatMap((id) => {
    const p = flow.patternById.get(id);
    return p ? [{ pattern: id, name: p.name, good: [...p.pros], bad: [...p.cons] }] : [];
  });
  return { patterns, tagged: d.chosen.length > 1, warnings: [...d.recommendation.warnings] };
}

/** A life-cycle change a person may ask for on a record (the decision card's buttons, in this order). */
export type RecordAction = 'reject' | 'reopen' | 'deprecate';

/** The life-cycle changes a record in this status offers, in the order its card shows them. */
export function recordActions(s: DecisionStatus): RecordAction[] {
  return [
    ...(canReject(s) ? (['reject'] as const) : []),
    ...(canReopen(s) ? (['reopen'] as const) : []),
    ...(canDeprecate(s) ? (['deprecate'] as const) : []),
  ];
}

/** A record's status in words, as MADR writes it: `superseded by ADR-0007` names the successor. */
export function statusLabel(d: Pick<Decision, 'status' | 'supersededBy'>): string {
  return d.status === 'superseded' && d.supersededBy ? `superseded by ${adrId(d.supersededBy)}` : d.status;
}

/* ---------- What to do first: the first choices in plain words (every surface's headline) ---------- */

/** The first-choice tool of one recommended (or chosen) pattern; no tool when the pattern has none. */
export type FirstChoice = {
  pattern: string;
  patternName: string;
  tool: string | undefined;
  toolName: string | undefined;
};

/** The first choice of each given pattern, in order (a pattern the recommendation gave no first choice keeps only its name). */
export function firstChoices(
  flow: Flow,
  rec: Pick<Recommendation, 'tools'>,
  patterns: readonly string[],
): FirstChoice[] {
  return patterns.map((pattern) => {
    const choice = (rec.tools ?? []).find((t) => t.pattern === pattern && t.fit === 'first-choice');
    const tool = choice?.tool;
    const base = tool === undefined ? undefined : (flow.toolById.get(tool)?.name ?? tool);
    // Contract v3 may give a first choice its data-plane mode (sidecar, ambient): named unless the tool's name says it.
    const mode = (choice as { mode?: unknown } | undefined)?.mode;
    const toolName =
      base !== undefined && typeof mode === 'string' && mode && !base.toLowerCase().includes(mode.toLowerCase())
        ? `${base}, ${mode} mode`
        : base;
    return { pattern, patternName: patternName(flow, pattern), tool, toolName };
  });
}

/** Tools that grow a mesh a team already runs (`existing_mesh`), by that answer's option id. */
const EXTENDS: Record<string, (tool: string) => boolean> = {
  istio: (t) => t.startsWith('istio-'),
  linkerd: (t) => t.startsWith('linkerd'),
  'cilium-service-mesh': (t) => t.startsWith('cilium-'),
};

/** Tools that sit in front of the clusters and steer traffic between them. */
const IN_FRONT = new Set(['global-load-balancer', 'k8gb', 'multi-cluster-gateway']);

/** Where a layer that spans clusters reaches, from the clusters answer. */
function reach(answers: Answers): string | undefined {
  const clusters = answers.clusters;
  if (clusters === 'multi-region') return 'across your regions';
  if (clusters === 'several-same-region') return 'across your clusters';
  return undefined;
}

/** The mesh (or the Cilium CNI) the team runs, by its label, when the tool grows it. */
function extended(flow: Flow, answers: Answers, tool: string | undefined): string | undefined {
  if (tool === undefined) return undefined;
  const mesh = answers.existing_mesh;
  if (typeof mesh === 'string' && EXTENDS[mesh]?.(tool)) return answerLabels(flow, 'existing_mesh', mesh)[0];
  if (answers.cni === 'cilium' && tool.startsWith('cilium-')) return answerLabels(flow, 'cni', 'cilium')[0];
  return undefined;
}

/** One clause of the headline: what to do with one layer, in plain words, naming its tool. */
function clause(flow: Flow, c: FirstChoice, answers: Answers, short: boolean): string {
  const name = c.toolName === undefined ? undefined : short ? c.toolName.replace(/\s*\([^)]*\)$/, '') : c.toolName;
  const scope = reach(answers);
  const mesh = extended(flow, answers, c.tool);
  const spans = c.tool?.includes('multicluster') || c.tool?.includes('clustermesh');
  const where = spans && scope ? ` ${scope}` : '';
  if (mesh && name) return `extend your ${mesh}${where} with ${name}`;
  if (!name) {
    return c.pattern === 'plain-kubernetes'
      ? 'stay on plain Kubernetes for now'
      : `use ${c.patternName.charAt(0).toLowerCase()}${c.patternName.slice(1)}`;
  }
  switch (c.pattern) {
    case 'service-mesh':
      return `run ${name}${where} for the calls between services`;
    case 'cluster-mesh':
      return `join the clusters' networks with ${name}`;
    case 'multi-cluster-without-mesh':
      return c.tool && IN_FRONT.has(c.tool)
        ? `put ${name} in front of the clusters`
        : `connect services across the clusters with ${name}`;
    case 'federation':
      return `place workloads across the clusters with ${name}`;
    case 'plain-kubernetes':
      return `stay on plain Kubernetes, starting with ${name}`;
    default:
      return `use ${name} (${c.patternName})`;
  }
}

const joinClauses = (parts: string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}`;
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * What to do first, in one sentence naming the first-choice tools: "Extend your
 * Istio across your regions with Istio multi-cluster (multi-primary), and put …
 * in front of the clusters." A mesh the team already runs is extended, never adopted.
 */
export function headline(
  flow: Flow,
  rec: Pick<Recommendation, 'primary' | 'complements' | 'tools'>,
  answers: Answers,
): string {
  const choices = firstChoices(flow, rec, recommendedPatterns(rec));
  return `${capital(joinClauses(choices.map((c) => clause(flow, c, answers, false))))}.`;
}

/** A recommendation at a glance: what to do, the first-choice tools, the top warning and how many readiness checks. */
export type Summary = {
  action: string;
  /** First-choice tool names, the primary pattern's first. */
  tools: string[];
  /** The top warning: the first the engine lists. */
  warning: string | undefined;
  /** Warnings beyond the top one. */
  moreWarnings: number;
  checks: number;
};

export function summary(flow: Flow, recommendation: Recommendation, answers: Answers): Summary {
  return {
    action: headline(flow, recommendation, answers),
    tools: firstChoices(flow, recommendation, recommendedPatterns(recommendation)).flatMap((c) =>
      c.toolName === undefined ? [] : [c.toolName],
    ),
    warning: recommendation.warnings[0],
    moreWarnings: Math.max(0, recommendation.warnings.length - 1),
    checks: recommendation.checklist.length,
  };
}

/** A record's default title, following what was chosen: "Extend Istio across regions with Istio multi-cluster, and …". */
export function decisionTitle(flow: Flow, d: Pick<Decision, 'chosen' | 'recommendation' | 'answers'>): string {
  const choices = firstChoices(flow, d.recommendation, d.chosen);
  return capital(joinClauses(choices.map((c) => clause(flow, c, d.answers, true))))
    .replace(/\byour /g, '')
    .replace(/ of the clusters\b/, '');
}

/** The names of what was chosen, tool first: "Istio multi-cluster (multi-primary) + Global load balancer …". */
export function chosenNames(flow: Flow, d: Pick<Decision, 'chosen' | 'recommendation'>): string[] {
  return firstChoices(flow, d.recommendation, d.chosen).map((c) => c.toolName ?? c.patternName);
}

/** One reason with the answer it rests on (the options of the answer its rule tested, when known). */
export type ReasonLine = { pattern: string; question: string; because: string; answer: string[]; weight: number };

/** The options of a condition that test `question`. */
function optionsTested(c: Condition, question: string): string[] {
  if ('question' in c) return c.question === question ? ('anyOf' in c ? c.anyOf : []) : [];
  if ('all' in c) return c.all.flatMap((x) => optionsTested(x, question));
  if ('any' in c) return c.any.flatMap((x) => optionsTested(x, question));
  return [];
}

/** A recommendation's reason, with the part of the answer its rule rested on and the rule's weight. */
export function reasonLine(flow: Flow, answers: Answers, r: Reason): ReasonLine {
  const rule = flow.rules.rules.find((x) => x.pattern === r.pattern && x.because === r.because);
  const given = answers[r.question];
  const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
  const tested = rule ? optionsTested(rule.when, r.question).filter((o) => values.includes(o)) : [];
  const shown = tested.length ? tested : values;
  return {
    pattern: r.pattern,
    question: r.question,
    because: r.because,
    answer: shown.length ? answerLabels(flow, r.question, shown) : [],
    weight: rule?.weight ?? 0,
  };
}

/**
 * The strongest reasons for what is recommended: the heaviest reason of each
 * recommended pattern first (primary first), then the heaviest of the rest,
 * one per question, at most `n`.
 */
export function strongestReasons(
  flow: Flow,
  rec: Pick<Recommendation, 'primary' | 'complements' | 'reasons'>,
  answers: Answers,
  n = 3,
): ReasonLine[] {
  const patterns = recommendedPatterns(rec);
  const lines = rec.reasons
    .filter((r) => patterns.includes(r.pattern))
    .map((r) => reasonLine(flow, answers, r))
    .map((line, i) => ({ line, i }))
    .sort((a, b) => b.line.weight - a.line.weight || a.i - b.i)
    .map((x) => x.line);
  const out: ReasonLine[] = [];
  const take = (l: ReasonLine) => {
    if (out.length < n && !out.some((o) => o.question === l.question || o.because === l.because)) out.push(l);
  };
  // Each recommended layer gets its best reason first, even when another layer's reason cites the same question.
  for (const p of patterns) {
    const best = lines.find((l) => l.pattern === p);
    if (best && out.length < n && !out.some((o) => o.because === best.because)) out.push(best);
  }
  for (const l of lines) take(l);
  return out;
}

/* ---------- What would change this (contract v3 `sensitivity`) ---------- */

/** One answer that would change the outcome (shared/spec/interview.md, v3). */
export const SensitivityEntry = z.looseObject({
  question: z.string(),
  answer: z.union([z.string(), z.array(z.string())]),
  alternative: z.union([z.string(), z.array(z.string())]),
  primary: z.string().optional(),
  tools: z.array(z.object({ pattern: z.string(), from: z.string().nullable(), to: z.string().nullable() })).default([]),
  because: z.string().optional(),
});
export type SensitivityEntry = z.infer<typeof SensitivityEntry>;

/** A recommendation's sensitivity entries that parse; none when the engine did not compute them. */
export function sensitivityOf(rec: Recommendation): SensitivityEntry[] {
  const parsed = z.array(SensitivityEntry).safeParse((rec as Record<string, unknown>).sensitivity);
  return parsed.success ? parsed.data : [];
}

/** "If you answered “Overlapping” instead of “Flat” to “Can pods…?”: primary Service mesh; Cluster mesh: Cilium ClusterMesh → none." */
export type ChangeLine = { question: string; from: string; to: string; changes: string[]; because: string | undefined };

export function whatWouldChange(flow: Flow, rec: Recommendation): ChangeLine[] {
  const tool = (id: string | null) => (id === null ? 'no longer recommended' : (flow.toolById.get(id)?.name ?? id));
  return sensitivityOf(rec).map((s) => ({
    question: flow.questionById.get(s.question)?.prompt ?? s.question,
    from: answerLabels(flow, s.question, s.answer).join(', '),
    to: answerLabels(flow, s.question, s.alternative).join(', '),
    changes: [
      ...(s.primary && s.primary !== rec.primary ? [`the primary becomes ${patternName(flow, s.primary)}`] : []),
      ...s.tools.map((t) =>
        t.from === null
          ? `${patternName(flow, t.pattern)}: ${tool(t.to)} is added`
          : `${patternName(flow, t.pattern)}: ${tool(t.from)} → ${tool(t.to)}`,
      ),
    ],
    because: s.because,
  }));
}

/* ---------- Which tools a team can use where it runs ---------- */

/** Tools offered by one platform only, by their id's prefix (the catalogue's own platform list wins when it has one). */
const PLATFORM_OF_PREFIX: [string, string][] = [
  ['aws-', 'eks'],
  ['gke-', 'gke'],
  ['aks-', 'aks'],
  ['openshift-', 'openshift'],
];

/**
 * Whether a tool can be used by a team on `platform` today: never an archived
 * tool or an ended service, and a cloud's own product only on that cloud (any
 * cloud's on `mixed`).
 */
export function toolFitsPlatform(tool: Tool, platform: AnswerValue | undefined): boolean {
  if (UNUSABLE_STATUSES.includes(tool.status)) return false;
  if (platform === 'mixed') return true;
  const listed = (tool as Tool & { platforms?: unknown }).platforms;
  if (Array.isArray(listed)) return typeof platform === 'string' && listed.includes(platform);
  const only = PLATFORM_OF_PREFIX.find(([prefix]) => tool.id.startsWith(prefix))?.[1];
  return only === undefined || only === (platform ?? 'self-managed');
}

/**
 * What follows from a decision for this team, from its answers rather than a
 * pattern's generic pros and cons: the recommendation's warnings, the
 * readiness checks before the first cluster changes, the tools its answers
 * rule out in the chosen layers, and what is set aside for now.
 */
export function decisionOutcomes(flow: Flow, d: Pick<Decision, 'chosen' | 'recommendation'>): string[] {
  const rec = d.recommendation;
  const checks = (rec.checklist ?? []).filter((c) => d.chosen.includes(c.pattern)).length;
  const avoided = (rec.tools ?? []).filter((t) => t.fit === 'avoid' && d.chosen.includes(t.pattern));
  const setAside = [...rec.notNow, ...recommendedPatterns(rec)].filter((p) => !d.chosen.includes(p));
  return [
    ...rec.warnings,
    ...(checks
      ? [`${checks} readiness ${checks === 1 ? 'check' : 'checks'} to finish before the first cluster changes.`]
      : []),
    ...avoided.map((t) => `Not ${flow.toolById.get(t.tool)?.name ?? t.tool}: ${t.because}`),
    ...(setAside.length ? [`Set aside for now: ${patternNameList(flow, setAside).join(', ')}.`] : []),
  ];
}

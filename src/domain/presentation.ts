import type { AnswerValue, Flow } from '../engine/flow.js';
import { canDeprecate, canReject, canReopen } from './lifecycle.js';
import type { Decision, DecisionStatus, Recommendation } from './model.js';

export { canDeprecate, canReject, canReopen, REOPENABLE } from './lifecycle.js';

/**
 * What a decision record shows, computed once for every surface: the Slack
 * blocks, the MADR and HTML exports and the terminal all read these values
 * and only format and escape them. Everything here is pure and returns plain,
 * unescaped text.
 */

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

/** How a recommendation's first choice for one pattern is put as an action, by pattern (the tool's name fills `{tool}`). */
const ACTION_BY_PATTERN: Readonly<Record<string, { withTool: string; without: string }>> = {
  'service-mesh': { withTool: 'Adopt {tool}', without: 'Adopt a service mesh' },
  'cluster-mesh': { withTool: 'Join the clusters with {tool}', without: 'Join the clusters with a cluster mesh' },
  'multi-cluster-without-mesh': {
    withTool: 'Add {tool} across the clusters',
    without: 'Run the clusters side by side, without a mesh',
  },
  federation: {
    withTool: 'Roll out to every cluster with {tool}',
    without: 'Roll out to every cluster from one place',
  },
  'plain-kubernetes': { withTool: 'Stay on plain Kubernetes, with {tool}', without: 'Stay on plain Kubernetes' },
};

/** Answers naming a product the team already runs, whose tools a recommendation extends rather than adopts. */
const RUNS_ALREADY = ['existing_mesh', 'cni'] as const;
/** Options that name no product. */
const NO_PRODUCT = new Set(['none', 'other', 'unknown']);

/** The products the answers say already run, by their option labels ("Istio", "Cilium"). */
function productsRunning(flow: Flow, answers: Readonly<Record<string, AnswerValue>>): string[] {
  return RUNS_ALREADY.flatMap((q) => {
    const value = answers[q];
    const ids = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => !NO_PRODUCT.has(v));
    return answerLabels(flow, q, ids.length ? ids : undefined);
  });
}

/** "Istio multi-cluster (multi-primary)" extends a running "Istio": what the tool adds to it, or undefined when it is another product. */
function extension(product: string, toolName: string): string | undefined {
  if (!toolName.toLowerCase().startsWith(product.toLowerCase())) return undefined;
  const rest = toolName.slice(product.length);
  if (rest !== '' && !/^[\s,(-]/.test(rest)) return undefined;
  return rest.replace(/^[\s,-]+/, '').trim();
}

/** The first-choice tool of each recommended pattern, primary first (a pattern without one is listed with none). */
export function firstChoices(flow: Flow, r: Pick<Recommendation, 'primary' | 'complements' | 'tools'>) {
  return recommendedPatterns(r).map((pattern) => {
    const choice = r.tools.find((t) => t.pattern === pattern && t.fit === 'first-choice');
    const tool = choice?.tool;
    const base = tool === undefined ? undefined : (flow.toolById.get(tool)?.name ?? tool);
    // Contract v3 may give a first choice its data-plane mode (sidecar, ambient): named unless the tool's name says it.
    const mode = (choice as { mode?: unknown } | undefined)?.mode;
    const name =
      base !== undefined && typeof mode === 'string' && mode && !base.toLowerCase().includes(mode.toLowerCase())
        ? `${base}, ${mode} mode`
        : base;
    return { pattern, tool, name };
  });
}

/**
 * What to do, in one sentence naming the first-choice tools: "Extend your Istio to
 * multi-cluster (multi-primary), and add Global load balancer… across the
 * clusters." A tool of a product the team already runs (its mesh, its CNI) is
 * extended, not adopted. Plain text for every surface (Slack escapes it).
 */
export function headline(
  recommendation: Pick<Recommendation, 'primary' | 'complements' | 'tools'>,
  answers: Readonly<Record<string, AnswerValue>>,
  flow: Flow,
): string {
  const running = productsRunning(flow, answers);
  const parts = firstChoices(flow, recommendation).map(({ pattern, name }) => {
    // The most specific product it extends: "Cilium Service Mesh" before "Cilium".
    const product =
      name === undefined
        ? undefined
        : running.filter((p) => extension(p, name) !== undefined).sort((a, b) => b.length - a.length)[0];
    if (name !== undefined && product !== undefined) {
      const adds = extension(product, name) ?? '';
      if (!adds) return `Extend your ${product}`;
      // A data-plane mode is how it runs, not where it goes: "Extend your Istio (sidecar mode)".
      return /^[\w-]+ mode$/.test(adds) ? `Extend your ${product} (${adds})` : `Extend your ${product} to ${adds}`;
    }
    const phrase = ACTION_BY_PATTERN[pattern];
    if (!phrase)
      return name ? `Adopt ${patternName(flow, pattern)} with ${name}` : `Adopt ${patternName(flow, pattern)}`;
    return name ? phrase.withTool.replace('{tool}', name) : phrase.without;
  });
  const [first = '', ...rest] = parts;
  const tail = rest.map((p) => `, and ${p.charAt(0).toLowerCase()}${p.slice(1)}`).join('');
  return `${first}${tail}.`;
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

export function summary(
  recommendation: Recommendation,
  answers: Readonly<Record<string, AnswerValue>>,
  flow: Flow,
): Summary {
  return {
    action: headline(recommendation, answers, flow),
    tools: firstChoices(flow, recommendation).flatMap((c) => (c.name === undefined ? [] : [c.name])),
    warning: recommendation.warnings[0],
    moreWarnings: Math.max(0, recommendation.warnings.length - 1),
    checks: recommendation.checklist.length,
  };
}

import { z } from 'zod';
import { completeAnswers, holds, withoutNoneBesideChoices } from './answers.js';
import { type Chosen, chooseTools } from './choose-tools.js';
import type { Answers, CapabilityNeed, Carries, Flow, Rule, StockReason } from './flow.js';
import { conditionQuestions } from './load.js';
import { sensitivityOf } from './sensitivity.js';

/** Why a pattern is placed where it is: the rule's words and the question they came from. */
export const Reason = z.looseObject({ pattern: z.string(), question: z.string(), because: z.string() });
export type Reason = z.infer<typeof Reason>;

export const ToolFit = z.enum(['first-choice', 'alternative', 'avoid']);
export type ToolFit = z.infer<typeof ToolFit>;

/** A concrete tool within a recommended pattern, and why it fits (or must be avoided). */
export const ToolChoice = z.looseObject({
  pattern: z.string(),
  tool: z.string(),
  fit: ToolFit,
  because: z.string(),
  /** v3: the first choice's data-plane mode, when it has one. */
  mode: z.enum(['sidecar', 'ambient']).optional(),
  /** Pages documenting what `because` says beyond the tool's own source. */
  sources: z.array(z.string()).optional(),
});
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Something that must be true before the first cluster changes, and why. */
export const ChecklistItem = z.looseObject({ pattern: z.string(), item: z.string(), because: z.string() });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

const AnswerValueSchema = z.union([z.string(), z.array(z.string())]);

/** v3: one answer that, changed alone, changes the primary or a first-choice tool. */
export const Sensitivity = z.looseObject({
  question: z.string(),
  answer: AnswerValueSchema,
  alternative: AnswerValueSchema,
  primary: z.string().optional(),
  tools: z.array(z.looseObject({ pattern: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  because: z.string(),
});
export type Sensitivity = z.infer<typeof Sensitivity>;

/** The contract's recommendation (shared/spec/interview.md, v3); stored records from v1 have no tools or checklist. Loose: a field a newer version stored survives a save by this one. */
export const Recommendation = z.looseObject({
  primary: z.string(),
  complements: z.array(z.string()),
  notNow: z.array(z.string()),
  reasons: z.array(Reason),
  warnings: z.array(z.string()),
  tools: z.array(ToolChoice).default([]),
  checklist: z.array(ChecklistItem).default([]),
  /** v3: present on every new recommendation; records stored before v3 have none. */
  sensitivity: z.array(Sensitivity).optional(),
});
export type Recommendation = z.infer<typeof Recommendation>;

type Evidence = { score: number; ruledOut: boolean; forRules: Rule[]; againstReasons: Reason[] };

const reasonCache = new WeakMap<Rule, Reason>();
/** The reason a rule leaves; one frozen object per rule, since the sensitivity re-runs ask for it often. */
const reasonOf = (rule: Rule): Reason => {
  let r = reasonCache.get(rule);
  if (!r) {
    r = Object.freeze({
      pattern: rule.pattern,
      question: rule.cites ?? conditionQuestions(rule.when)[0] ?? '',
      because: rule.because,
    });
    reasonCache.set(rule, r);
  }
  return r;
};

const stock = (pattern: string, r: StockReason): Reason => ({ pattern, question: r.question, because: r.because });

/** "service mesh": a pattern's name as it reads inside a sentence. */
const layerName = (flow: Flow, id: string): string => {
  const name = flow.patternById.get(id)?.name ?? id;
  return name.charAt(0).toLowerCase() + name.slice(1);
};

/** Answers (missing ones defaulted) → the recommendation, with what would change it (contract v3). */
export function recommend(flow: Flow, given: Answers): Recommendation {
  const base = advise(flow, given);
  return { ...base, sensitivity: sensitivityOf(flow, given, base, advise) };
}

/** Why a recommended layer left: the one-path rule or the missing capability, with the warning it leaves. */
type Left = { reason: Reason; warning?: string };

/** The recommendation without `sensitivity`: driven only by the files in flows/. */
export function advise(flow: Flow, given: Answers): Recommendation {
  // Warnings read the answers as given (to point out contradictions); everything else decides on the named choices.
  const asGiven = completeAnswers(flow, given);
  const answers = withoutNoneBesideChoices(flow, asGiven);
  const { threshold, rules, fallback } = flow.rules;
  const order = flow.patterns.map((p) => p.id);
  const evidence = new Map<string, Evidence>(
    order.map((id) => [id, { score: 0, ruledOut: false, forRules: [], againstReasons: [] }]),
  );

  for (const rule of rules) {
    if (!holds(rule.when, answers)) continue;
    const ev = evidence.get(rule.pattern);
    if (!ev) continue;
    if (rule.effect === 'support') {
      ev.score += rule.weight;
      ev.forRules.push(rule);
    } else {
      if (rule.effect === 'rule-out') ev.ruledOut = true;
      else ev.score -= rule.weight;
      ev.againstReasons.push(reasonOf(rule));
    }
  }
  const scoreOf = (id: string) => evidence.get(id)?.score ?? 0;

  // Highest score first; on a tie the layer with less evidence against it, then the lighter layer to run.
  const againstOf = (id: string) => evidence.get(id)?.againstReasons.length ?? 0;
  const lighter = flow.rules.lighterFirst;
  const ranked = order
    .filter((id) => {
      const ev = evidence.get(id);
      return ev && !ev.ruledOut && ev.score >= threshold && id !== fallback.pattern;
    })
    .sort((a, b) => scoreOf(b) - scoreOf(a) || againstOf(a) - againstOf(b) || lighter.indexOf(a) - lighter.indexOf(b));
  const alternativesOf = (id: string) => flow.patternById.get(id)?.alternatives ?? [];

  // A layer that loses its last capable tool leaves, and the layers are placed again without it.
  const left = new Map<string, Left>();
  let placed: Placed;
  for (;;) {
    placed = place(flow, answers, ranked, left, alternativesOf);
    const current = placed;
    // A layer whose every reason was about calls another layer now carries has nothing left to do either.
    const stillArgued = (id: string) => {
      const carried = current.carriedElsewhere.get(id);
      return (evidence.get(id)?.forRules ?? []).some((r) => !r.carrying || !carried?.has(r.carrying));
    };
    const lost = current.recommended.find(
      (id) =>
        id !== fallback.pattern &&
        (!current.tools.some((t) => t.pattern === id && t.fit === 'first-choice') || !stillArgued(id)),
    );
    if (!lost) break;
    left.set(lost, leaving(flow, lost, placed, answers));
  }
  const { primary, recommended, tools, dropped } = placed;
  const named = new Set(recommended);
  const complements = recommended.filter((id) => id !== primary);
  // Every pattern is placed: what is not recommended is "not now", with a reason.
  const notNow = order.filter((id) => !named.has(id));

  const reasons: Reason[] = [];
  for (const id of recommended) {
    // A reason for calls another layer now carries would argue for tools the layer no longer offers.
    const carried = placed.carriedElsewhere.get(id);
    for (const rule of evidence.get(id)?.forRules ?? []) {
      if (!rule.carrying || !carried?.has(rule.carrying)) reasons.push(reasonOf(rule));
    }
  }
  if (!reasons.some((r) => r.pattern === primary)) {
    const why = fallback.reasons.find((r) => !r.when || holds(r.when, answers)) ?? fallback.reasons.at(-1);
    if (why) reasons.unshift(stock(primary, why));
  }
  for (const id of notNow) {
    const why = left.get(id) ?? dropped.get(id);
    if (why) reasons.push(why.reason);
    const against = evidence.get(id)?.againstReasons ?? [];
    if (against.length > 0 || why) {
      reasons.push(...against);
      continue;
    }
    const fallbackWhy = flow.rules.notNowFallback.find((r) => r.pattern === id && (!r.when || holds(r.when, answers)));
    if (fallbackWhy) reasons.push(stock(id, fallbackWhy));
  }

  const warnings: string[] = [];
  for (const w of flow.rules.warnings) if (holds(w.when, asGiven, named)) warnings.push(w.text);
  for (const l of left.values()) if (l.warning) warnings.push(l.warning);
  for (const need of flow.rules.needs) {
    if (!holds(need.when, answers) || holds(need.addressedBy, answers, named)) continue;
    const text = need.unaddressed.find((u) => !u.when || holds(u.when, answers, named))?.text;
    if (text) warnings.push(text);
  }
  // Risks stay visible: what argued against a recommended layer or its first-choice tool is a warning.
  for (const id of recommended) for (const r of evidence.get(id)?.againstReasons ?? []) warnings.push(r.because);
  for (const c of placed.chosen) {
    if (c.fit !== 'first-choice') continue;
    warnings.push(...c.against);
    for (const need of c.unconfirmed) warnings.push(unconfirmedWarning(c, need));
  }

  const firstChoice = new Set(tools.filter((t) => t.fit === 'first-choice').map((t) => t.tool));
  const checklist = recommended.flatMap((id) =>
    flow.checklist.items
      .filter((c) => {
        if (c.pattern !== id) return false;
        const wanted = c.tool === undefined ? [] : Array.isArray(c.tool) ? c.tool : [c.tool];
        if (wanted.length > 0 && !wanted.some((t) => firstChoice.has(t))) return false;
        return !c.when || holds(c.when, answers, named);
      })
      .map((c) => ({ pattern: c.pattern, item: c.item, because: c.because })),
  );

  return {
    primary,
    complements,
    notNow,
    reasons,
    warnings: [...new Set(warnings)],
    tools,
    checklist,
  };
}

/** A needed capability the catalogue leaves open (`unknown`) is a risk the team must check. */
const unconfirmedWarning = (c: Chosen, need: CapabilityNeed): string =>
  `Our sources do not say whether ${c.tool.name} can ${need.can}, which these answers need: confirm it with the vendor before relying on it.`;

type Placed = {
  primary: string;
  recommended: string[];
  tools: ToolChoice[];
  chosen: (Chosen & { pattern: string })[];
  /** Layers the one-path rules took out, and tools they left out, with why. */
  dropped: Map<string, Left>;
  blocked: Map<string, CapabilityNeed[]>;
  carried: Map<string, Left>;
  carriedElsewhere: ReadonlyMap<string, ReadonlySet<Carries>>;
};

/** Primary and complements from the ranked layers, one path per call, then each layer's tools. */
function place(
  flow: Flow,
  answers: Answers,
  ranked: readonly string[],
  left: ReadonlyMap<string, Left>,
  alternativesOf: (id: string) => string[],
): Placed {
  const fallback = flow.rules.fallback.pattern;
  let candidates = ranked.filter((id) => !left.has(id));
  const dropped = new Map<string, Left>();
  const carried = new Map<string, Left>();
  const carriedElsewhere = new Map<string, Set<Carries>>();
  const layersOf = (list: readonly string[]) => {
    const primary = list[0] ?? fallback;
    const complements: string[] = [];
    for (const id of list.slice(1)) {
      const chosen = [primary, ...complements];
      if (chosen.some((c) => alternativesOf(c).includes(id) || alternativesOf(id).includes(c))) continue;
      complements.push(id);
    }
    return [primary, ...complements];
  };
  let recommended = layersOf(candidates);
  for (const rule of flow.rules.onePath) {
    const named = new Set(recommended);
    if (!named.has(rule.carrier) || !named.has(rule.drop)) continue;
    if (rule.when && !holds(rule.when, answers, named)) continue;
    const why: Left = { reason: { pattern: rule.drop, question: rule.cites, because: rule.because } };
    if (rule.carrying) {
      const set = carriedElsewhere.get(rule.drop) ?? new Set<Carries>();
      set.add(rule.carrying);
      carriedElsewhere.set(rule.drop, set);
      if (!carried.has(rule.drop)) carried.set(rule.drop, why);
      continue;
    }
    dropped.set(rule.drop, why);
    candidates = candidates.filter((id) => id !== rule.drop);
    recommended = layersOf(candidates);
  }
  const named = new Set(recommended);
  const tools: ToolChoice[] = [];
  const chosen: (Chosen & { pattern: string })[] = [];
  const blocked = new Map<string, CapabilityNeed[]>();
  for (const id of recommended) {
    const picked = chooseTools(flow, id, {
      answers,
      recommended: named,
      // A layer whose calls another one carries stays only for tools that still have a reason to be there.
      needsFirstChoice: id !== fallback && !carriedElsewhere.has(id),
      carriedElsewhere: carriedElsewhere.get(id) ?? new Set(),
    });
    blocked.set(id, picked.blockedBy);
    for (const c of picked.choices) {
      chosen.push({ ...c, pattern: id });
      tools.push({
        pattern: id,
        tool: c.tool.id,
        fit: c.fit,
        because: c.because,
        ...(c.mode ? { mode: c.mode } : {}),
        ...(c.sources.length > 0 ? { sources: c.sources } : {}),
      });
    }
  }
  return {
    primary: recommended[0] ?? fallback,
    recommended,
    tools,
    chosen,
    dropped,
    blocked,
    carried,
    carriedElsewhere,
  };
}

/** Why a layer with no capable tool left moves to "not now", and what warning that leaves. */
function leaving(flow: Flow, id: string, placed: Placed, answers: Answers): Left {
  const layer = layerName(flow, id);
  const carried = placed.carried.get(id);
  if (carried) return carried;
  // The need that ruled out the most tools is the one that emptied the layer.
  const blocked = placed.blocked.get(id) ?? [];
  const count = (n: CapabilityNeed) => blocked.filter((b) => b === n).length;
  const need = [...new Set(blocked)].sort((a, b) => count(b) - count(a))[0];
  if (need) {
    return {
      reason: { pattern: id, question: need.cites, because: need.layer.replaceAll('{layer}', layer) },
      ...(need.givesUp ? { warning: need.givesUp.replaceAll('{layer}', layer) } : {}),
    };
  }
  const question = typeof answers.platform === 'string' ? 'platform' : 'pains';
  return { reason: { pattern: id, question, because: `No ${layer} tool on offer here fits these answers.` } };
}

import { holds } from './answers.js';
import { UNUSABLE_STATUSES } from './contract.js';
import type { Answers, CapabilityNeed, Carries, Flow, Tool, ToolRule, ToolStatus } from './flow.js';

/** How a tool fits the answers within its pattern. */
export type Fit = 'first-choice' | 'alternative' | 'avoid';

/** One tool as chosen for a pattern, before it becomes the contract's ToolChoice. */
export type Chosen = {
  tool: Tool;
  fit: Fit;
  because: string;
  mode?: 'sidecar' | 'ambient' | undefined;
  /** Pages documenting what `because` says beyond the tool's own source. */
  sources: string[];
  /** Fired `against` rules: risks that must stay visible when the tool is chosen first. */
  against: string[];
  /** Needed capabilities the catalogue does not document for this tool. */
  unconfirmed: CapabilityNeed[];
};

/** The tools of one pattern, and the needs that ruled tools out (so a layer left with none can say why). */
export type PatternTools = { choices: Chosen[]; blockedBy: CapabilityNeed[] };

/** How many alternatives a pattern lists besides its first choice. */
const MAX_ALTERNATIVES = 3;

const STATUS_RANK: Record<ToolStatus, number> = { ga: 0, beta: 1, preview: 2, archived: 3, 'service-ended': 4 };

const ruleTools = (rule: ToolRule): string[] => (Array.isArray(rule.tool) ? rule.tool : [rule.tool]);

/** The tool's control plane as the team meets it on this platform. */
const controlPlaneOn = (tool: Tool, platform: string) =>
  tool.can.managedOn.includes(platform) ? 'managed' : tool.can.controlPlane;

/** true, false or unknown: whether the tool has what the need asks for, on this platform. */
function capability(tool: Tool, need: CapabilityNeed, platform: string): boolean | 'unknown' {
  if (need.capability === 'managed') return controlPlaneOn(tool, platform) !== 'self-managed';
  return tool.can[need.capability];
}

/** A platform offers the tool (no list means every platform). */
const offeredOn = (tool: Tool, platform: string) => !tool.can.platforms || tool.can.platforms.includes(platform);

/** Would a team with these answers reach for the tool? Only then is an `avoid` worth showing. */
function reachedFor(tool: Tool, answers: Answers, platform: string): boolean {
  if (tool.reachFor) return holds(tool.reachFor, answers);
  return offeredOn(tool, platform);
}

type PatternIndex = { tools: Tool[]; choices: ToolRule[]; needs: CapabilityNeed[] };
const indexes = new WeakMap<Flow, Map<string, PatternIndex>>();

/** The catalogue split by pattern once per loaded flow. */
function indexOf(flow: Flow): Map<string, PatternIndex> {
  let index = indexes.get(flow);
  if (index) return index;
  index = new Map();
  for (const id of flow.patternById.keys()) {
    const tools = flow.tools.tools.filter((t) => t.pattern === id);
    const ids = new Set(tools.map((t) => t.id));
    index.set(id, {
      tools,
      choices: flow.tools.choices.filter((c) => ruleTools(c).some((t) => ids.has(t))),
      needs: flow.tools.needs.filter((n) => n.patterns.includes(id)),
    });
  }
  indexes.set(flow, index);
  return index;
}

type Scored = {
  tool: Tool;
  score: number;
  /** The supporting rules' reasons with their weights: the weightiest is said first. */
  texts: { text: string; weight: number }[];
  sources: string[];
  against: string[];
  avoid?: string;
  /** An `avoid` rule names the tool (archived, ended, a broken feature): worth saying even when nothing speaks for it. */
  avoidedByRule?: boolean;
  unconfirmed: CapabilityNeed[];
};

export type ToolContext = {
  answers: Answers;
  recommended: ReadonlySet<string>;
  needsFirstChoice: boolean;
  /** Calls another layer already carries: this pattern's tools that carry only those are left out. */
  carriedElsewhere: ReadonlySet<Carries>;
};

/** The tools of one recommended pattern: first choice, alternatives and those to avoid, each with its reason. */
export function chooseTools(flow: Flow, pattern: string, ctx: ToolContext): PatternTools {
  const { answers, recommended } = ctx;
  const platform = typeof answers.platform === 'string' ? answers.platform : '';
  const existing = typeof answers.existing_mesh === 'string' ? answers.existing_mesh : 'none';
  const ops = typeof answers.ops === 'string' ? answers.ops : '';
  const index = indexOf(flow).get(pattern) ?? { tools: [], choices: [], needs: [] };
  const needs = index.needs.filter((n) => holds(n.when, answers, recommended));
  const blockedBy: CapabilityNeed[] = [];

  const scored = new Map<string, Scored>();
  for (const tool of index.tools) {
    if (!offeredOn(tool, platform)) continue;
    const carried = tool.can.carries.length > 0 && tool.can.carries.every((c) => ctx.carriedElsewhere.has(c));
    if (carried) continue;
    const s: Scored = { tool, score: 0, texts: [], sources: [], against: [], unconfirmed: [] };
    for (const need of needs) {
      if (need.carrying && !tool.can.carries.includes(need.carrying)) continue;
      const has = capability(tool, need, platform);
      if (has === false) {
        s.avoid ??= tool.limits[need.capability] ?? need.missing.replaceAll('{tool}', tool.name);
        blockedBy.push(need);
      } else if (has === 'unknown') s.unconfirmed.push(need);
    }
    scored.set(tool.id, s);
  }

  for (const rule of index.choices) {
    if (rule.when && !holds(rule.when, answers, recommended)) continue;
    for (const id of ruleTools(rule)) {
      const s = scored.get(id);
      if (!s) continue;
      if (rule.effect === 'avoid') {
        s.avoid ??= rule.because;
        s.avoidedByRule = true;
        continue;
      }
      if (rule.effect === 'support') s.score += rule.weight;
      else {
        s.score -= rule.weight;
        s.against.push(rule.because);
        continue;
      }
      s.texts.push({ text: rule.because, weight: rule.weight });
      if (rule.source) s.sources.push(rule.source);
    }
  }

  const all = [...scored.values()];
  const said = (s: Scored): string[] => [...s.texts].sort((a, b) => b.weight - a.weight).map((t) => t.text);
  const usable = (s: Scored) => s.avoid === undefined && !UNUSABLE_STATUSES.includes(s.tool.status);
  const continues = (s: Scored) => (s.tool.continues.includes(existing) ? 0 : 1);
  const light = ops === 'none' || ops === 'part-time';
  // The stated order among capable tools (tools.yaml, header): never the catalogue's order.
  const rank = (a: Scored, b: Scored): number =>
    continues(a) - continues(b) ||
    a.unconfirmed.length - b.unconfirmed.length ||
    (light ? a.tool.can.upkeep - b.tool.can.upkeep : 0) ||
    b.score - a.score ||
    Number(Boolean(b.tool.can.platforms)) - Number(Boolean(a.tool.can.platforms)) ||
    a.tool.can.upkeep - b.tool.can.upkeep ||
    STATUS_RANK[a.tool.status] - STATUS_RANK[b.tool.status] ||
    a.tool.name.localeCompare(b.tool.name);

  let eligible = all.filter((s) => usable(s) && s.score > 0).sort(rank);
  if (eligible.length === 0 && ctx.needsFirstChoice) eligible = all.filter(usable).sort(rank).slice(0, 1);

  const choices: Chosen[] = [];
  const [first, ...rest] = eligible;
  const keepsRunning = first?.tool.continues.includes(existing) ?? false;
  if (first) {
    const mode = flow.tools.modes.find(
      (m) => m.tool === first.tool.id && (!m.when || holds(m.when, answers, recommended)),
    );
    const texts = first.texts.length > 0 ? said(first) : [first.tool.summary];
    choices.push({
      tool: first.tool,
      fit: 'first-choice',
      because: [...texts, ...(mode ? [mode.because] : [])].join(' '),
      mode: mode?.mode,
      sources: first.sources,
      against: first.against,
      unconfirmed: first.unconfirmed,
    });
    // When a mesh runs and the first choice continues it, the alternatives are other distributions of it.
    const alternatives = rest.filter(
      (s) => s.tool.project !== first.tool.project && (!keepsRunning || s.tool.continues.includes(existing)),
    );
    const seen = new Set([first.tool.project]);
    for (const s of alternatives) {
      if (seen.has(s.tool.project)) continue;
      seen.add(s.tool.project);
      if (seen.size > MAX_ALTERNATIVES + 1) break;
      choices.push({
        tool: s.tool,
        fit: 'alternative',
        because: said(s).join(' ') || s.tool.summary,
        sources: s.sources,
        against: s.against,
        unconfirmed: s.unconfirmed,
      });
    }
  }
  // Avoids worth showing: a team would reach for the tool (its rules speak for it, or a rule avoids it by
  // name), its project is not already offered, and only the project's most fitting tool is named.
  const shown = new Map<string, Scored>();
  for (const s of all) {
    if (s.avoid === undefined || !reachedFor(s.tool, answers, platform)) continue;
    if (choices.some((c) => c.tool.project === s.tool.project)) continue;
    // A team extending the mesh it runs does not reach for another mesh.
    if (keepsRunning && !s.tool.continues.includes(existing)) continue;
    if (s.score <= 0 && !s.avoidedByRule) continue;
    const before = shown.get(s.tool.project);
    // Higher score first, then the name: never the catalogue's order.
    if (!before || (s.score - before.score || before.tool.name.localeCompare(s.tool.name)) > 0) {
      shown.set(s.tool.project, s);
    }
  }
  for (const s of shown.values()) {
    choices.push({
      tool: s.tool,
      fit: 'avoid',
      because: s.avoid ?? s.tool.summary,
      sources: [],
      against: [],
      unconfirmed: [],
    });
  }
  return { choices, blockedBy };
}

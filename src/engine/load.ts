import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CodedError } from '../errors.js';
import {
  CONTRACT_DEFAULTS,
  CONTRACT_PATTERNS,
  CONTRACT_QUESTIONS,
  CONTRACT_TOOLS,
  UNUSABLE_STATUSES,
} from './contract.js';
import {
  ChecklistFile,
  type Condition,
  type Flow,
  InterviewFile,
  PatternsFile,
  type Question,
  RulesFile,
  ToolsFile,
} from './flow.js';

/** The flows/ folder shipped with the project: the nearest one above this module (sources or bundle). */
function findFlowsDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'flows', 'interview.yaml'))) return join(dir, 'flows');
    if (dirname(dir) === dir) return fileURLToPath(new URL('../../flows', import.meta.url));
  }
}

export const DEFAULT_FLOWS_DIR = process.env.MESH_HELP_FLOWS_DIR || findFlowsDir();

export type FlowIssue = { file: string; path: string; message: string };

/** A flow file that cannot be used; the message names the file, the path in it and the problem. */
export class FlowError extends CodedError<'flow'> {
  readonly family = 'flow';
  readonly code = 'flow_invalid';
  constructor(readonly issues: FlowIssue[]) {
    super(`Invalid flow files:\n${issues.map((i) => `  ${i.file}: ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'FlowError';
  }
}

const FILES = {
  interview: 'interview.yaml',
  patterns: 'patterns.yaml',
  rules: 'rules.yaml',
  tools: 'tools.yaml',
  checklist: 'checklist.yaml',
} as const;

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function readYaml(dir: string, name: string, issues: FlowIssue[]): unknown {
  const file = join(dir, name);
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ file: shown, path: '', message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return parseYaml(text);
  } catch (err) {
    issues.push({ file: shown, path: '', message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

function validate<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  file: string,
  issues: FlowIssue[],
): z.infer<S> | undefined {
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    issues.push({ file, path: formatPath(issue.path), message: issue.message });
  }
  return undefined;
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

type Ctx = {
  file: string;
  issues: FlowIssue[];
  questions: ReadonlyMap<string, Question>;
  patterns: ReadonlySet<string>;
  allowRecommends: boolean;
  /** Questions a condition may refer to; undefined means any. */
  earlier?: ReadonlySet<string>;
};

function checkCondition(cond: Condition, path: string, ctx: Ctx): void {
  const push = (p: string, message: string): void => {
    ctx.issues.push({ file: ctx.file, path: p, message });
  };
  if ('question' in cond) {
    const q = ctx.questions.get(cond.question);
    if (!q) {
      push(`${path}.question`, `unknown question "${cond.question}"`);
      return;
    }
    if (ctx.earlier && !ctx.earlier.has(cond.question)) {
      push(`${path}.question`, `"${cond.question}" is not asked before this question`);
      return;
    }
    const values = 'anyOf' in cond ? cond.anyOf : cond.noneOf;
    const key = 'anyOf' in cond ? 'anyOf' : 'noneOf';
    values.forEach((v, i) => {
      if (!q.options.some((o) => o.id === v)) {
        push(
          `${path}.${key}[${i}]`,
          `unknown option "${v}" for question "${q.id}" (allowed: ${q.options.map((o) => o.id).join(', ')})`,
        );
      }
    });
  } else if ('all' in cond) {
    for (const [i, c] of cond.all.entries()) checkCondition(c, `${path}.all[${i}]`, ctx);
  } else if ('any' in cond) {
    for (const [i, c] of cond.any.entries()) checkCondition(c, `${path}.any[${i}]`, ctx);
  } else if ('not' in cond) {
    checkCondition(cond.not, `${path}.not`, ctx);
  } else {
    if (!ctx.allowRecommends) {
      push(path, '"recommends" may only be used in warnings');
      return;
    }
    cond.recommends.forEach((p, i) => {
      if (!ctx.patterns.has(p)) push(`${path}.recommends[${i}]`, `unknown pattern "${p}"`);
    });
  }
}

/** The tool ids a rule or checklist item names (one or several). */
const toolsOfRule = (tool: string | readonly string[]): readonly string[] => (typeof tool === 'string' ? [tool] : tool);

/** Question ids a condition reads, in order of first mention. */
export function conditionQuestions(cond: Condition): string[] {
  if ('question' in cond) return [cond.question];
  if ('all' in cond) return [...new Set(cond.all.flatMap(conditionQuestions))];
  if ('any' in cond) return [...new Set(cond.any.flatMap(conditionQuestions))];
  if ('not' in cond) return conditionQuestions(cond.not);
  return [];
}

/** Reads flows/, validates every file and every cross-reference; throws FlowError listing all problems. */
export function loadFlow(dir: string = DEFAULT_FLOWS_DIR): Flow {
  const issues: FlowIssue[] = [];
  const shown = (name: string) => relative(process.cwd(), join(dir, name)) || name;
  const interview = validate(InterviewFile, readYaml(dir, FILES.interview, issues), shown(FILES.interview), issues);
  const patternsFile = validate(PatternsFile, readYaml(dir, FILES.patterns, issues), shown(FILES.patterns), issues);
  const rules = validate(RulesFile, readYaml(dir, FILES.rules, issues), shown(FILES.rules), issues);
  const tools = validate(ToolsFile, readYaml(dir, FILES.tools, issues), shown(FILES.tools), issues);
  const checklist = validate(ChecklistFile, readYaml(dir, FILES.checklist, issues), shown(FILES.checklist), issues);
  if (!interview || !patternsFile || !rules || !tools || !checklist) throw new FlowError(issues);

  const questionById = new Map(interview.questions.map((q) => [q.id, q]));
  const patternById = new Map(patternsFile.patterns.map((p) => [p.id, p]));
  const patternIds = new Set(patternById.keys());

  // The interview: unique ids, valid defaults, `when` only on earlier questions.
  const iFile = shown(FILES.interview);
  const push = (file: string, path: string, message: string): void => {
    issues.push({ file, path, message });
  };
  for (const dup of duplicates(interview.questions.map((q) => q.id))) {
    push(
      iFile,
      `questions[${interview.questions.findIndex((q) => q.id === dup)}].id`,
      `duplicate question id "${dup}"`,
    );
  }
  const earlier = new Set<string>();
  const conditionCtx = (file: string, allowRecommends: boolean) => ({
    file,
    issues,
    questions: questionById,
    patterns: patternIds,
    allowRecommends,
  });
  if (interview.askAtMost) checkCondition(interview.askAtMost.when, 'askAtMost.when', conditionCtx(iFile, false));
  interview.questions.forEach((q, qi) => {
    const base = `questions[${qi}]`;
    for (const dup of duplicates(q.options.map((o) => o.id))) {
      push(iFile, `${base}.options`, `duplicate option id "${dup}" in question "${q.id}"`);
    }
    const defaults = Array.isArray(q.default) ? q.default : [q.default];
    if (q.kind === 'single' && Array.isArray(q.default)) {
      push(iFile, `${base}.default`, 'a single-choice question needs one option id as default');
    }
    if (q.kind === 'multi' && !Array.isArray(q.default)) {
      push(iFile, `${base}.default`, 'a multi-choice question needs a list of option ids as default');
    }
    for (const d of defaults) {
      if (!q.options.some((o) => o.id === d))
        push(iFile, `${base}.default`, `unknown option "${d}" for question "${q.id}"`);
    }
    if (q.when) {
      checkCondition(q.when, `${base}.when`, {
        file: iFile,
        issues,
        questions: questionById,
        patterns: patternIds,
        allowRecommends: false,
        earlier,
      });
    }
    if (q.ask) checkCondition(q.ask, `${base}.ask`, { ...conditionCtx(iFile, false), earlier });
    earlier.add(q.id);
  });
  for (const [id, options] of Object.entries(CONTRACT_QUESTIONS)) {
    const q = questionById.get(id);
    if (!q) push(iFile, 'questions', `contract question "${id}" is missing`);
    else {
      for (const o of options) {
        if (!q.options.some((x) => x.id === o))
          push(
            iFile,
            `questions[${interview.questions.indexOf(q)}].options`,
            `contract option "${o}" of "${id}" is missing`,
          );
      }
      const want = CONTRACT_DEFAULTS[id];
      if (want !== undefined && JSON.stringify(want) !== JSON.stringify(q.default)) {
        push(
          iFile,
          `questions[${interview.questions.indexOf(q)}].default`,
          `the contract's default of "${id}" is ${JSON.stringify(want)}`,
        );
      }
    }
  }

  // The catalogue: unique ids, every contract pattern, known alternatives.
  const pFile = shown(FILES.patterns);
  for (const dup of duplicates(patternsFile.patterns.map((p) => p.id))) {
    push(
      pFile,
      `patterns[${patternsFile.patterns.findIndex((p) => p.id === dup)}].id`,
      `duplicate pattern id "${dup}"`,
    );
  }
  for (const id of CONTRACT_PATTERNS) {
    if (!patternById.has(id)) push(pFile, 'patterns', `contract pattern "${id}" is missing`);
  }
  for (const [pi, p] of patternsFile.patterns.entries()) {
    for (const [ai, a] of p.alternatives.entries()) {
      if (!patternIds.has(a)) push(pFile, `patterns[${pi}].alternatives[${ai}]`, `unknown pattern "${a}"`);
    }
  }

  // The rules: unique ids, known patterns, questions and options.
  const rFile = shown(FILES.rules);
  const ctx = { file: rFile, issues, questions: questionById, patterns: patternIds };
  for (const dup of duplicates(rules.rules.map((r) => r.id))) {
    push(rFile, `rules[${rules.rules.findIndex((r) => r.id === dup)}].id`, `duplicate rule id "${dup}"`);
  }
  for (const dup of duplicates(rules.warnings.map((w) => w.id))) {
    push(rFile, `warnings[${rules.warnings.findIndex((w) => w.id === dup)}].id`, `duplicate warning id "${dup}"`);
  }
  rules.rules.forEach((r, ri) => {
    if (!patternIds.has(r.pattern)) push(rFile, `rules[${ri}].pattern`, `unknown pattern "${r.pattern}"`);
    checkCondition(r.when, `rules[${ri}].when`, { ...ctx, allowRecommends: false });
    if (r.cites && !questionById.has(r.cites)) push(rFile, `rules[${ri}].cites`, `unknown question "${r.cites}"`);
  });
  for (const [wi, w] of rules.warnings.entries()) {
    checkCondition(w.when, `warnings[${wi}].when`, { ...ctx, allowRecommends: true });
  }
  if (!patternIds.has(rules.fallback.pattern))
    push(rFile, 'fallback.pattern', `unknown pattern "${rules.fallback.pattern}"`);
  rules.fallback.reasons.forEach((r, i) => {
    if (!questionById.has(r.question))
      push(rFile, `fallback.reasons[${i}].question`, `unknown question "${r.question}"`);
    if (r.when) checkCondition(r.when, `fallback.reasons[${i}].when`, { ...ctx, allowRecommends: false });
  });
  if (rules.fallback.reasons.at(-1)?.when) {
    push(
      rFile,
      `fallback.reasons[${rules.fallback.reasons.length - 1}].when`,
      'the last fallback reason must have no condition, so one always applies',
    );
  }
  rules.notNowFallback.forEach((r, i) => {
    if (!patternIds.has(r.pattern)) push(rFile, `notNowFallback[${i}].pattern`, `unknown pattern "${r.pattern}"`);
    if (!questionById.has(r.question)) push(rFile, `notNowFallback[${i}].question`, `unknown question "${r.question}"`);
    if (r.when) checkCondition(r.when, `notNowFallback[${i}].when`, { ...ctx, allowRecommends: false });
  });
  for (const id of patternIds) {
    if (!rules.notNowFallback.some((r) => r.pattern === id && !r.when)) {
      push(rFile, 'notNowFallback', `pattern "${id}" needs an unconditional notNowFallback reason`);
    }
  }
  for (const dup of duplicates(rules.needs.map((n) => n.id))) {
    push(rFile, `needs[${rules.needs.findIndex((n) => n.id === dup)}].id`, `duplicate need id "${dup}"`);
  }
  rules.needs.forEach((n, ni) => {
    checkCondition(n.when, `needs[${ni}].when`, { ...ctx, allowRecommends: false });
    checkCondition(n.addressedBy, `needs[${ni}].addressedBy`, { ...ctx, allowRecommends: true });
    n.unaddressed.forEach((u, ui) => {
      if (u.when) checkCondition(u.when, `needs[${ni}].unaddressed[${ui}].when`, { ...ctx, allowRecommends: true });
    });
    if (n.unaddressed.at(-1)?.when) {
      push(
        rFile,
        `needs[${ni}].unaddressed`,
        'the last text must have no condition, so an unaddressed need is always named',
      );
    }
  });

  if (rules.lighterFirst.length > 0) {
    const listed = [...rules.lighterFirst].sort().join(',');
    if (listed !== [...patternIds].sort().join(',')) {
      push(rFile, 'lighterFirst', `must list every pattern exactly once (${[...patternIds].join(', ')})`);
    }
  }
  rules.onePath.forEach((o, oi) => {
    for (const key of ['carrier', 'drop'] as const) {
      if (!patternIds.has(o[key])) push(rFile, `onePath[${oi}].${key}`, `unknown pattern "${o[key]}"`);
    }
    if (!questionById.has(o.cites)) push(rFile, `onePath[${oi}].cites`, `unknown question "${o.cites}"`);
    if (o.when) checkCondition(o.when, `onePath[${oi}].when`, { ...ctx, allowRecommends: true });
  });
  // The tool catalogue: every contract tool under its pattern, rules that name known tools.
  const tFile = shown(FILES.tools);
  const toolById = new Map(tools.tools.map((t) => [t.id, t]));
  for (const dup of duplicates(tools.tools.map((t) => t.id))) {
    push(tFile, `tools[${tools.tools.findIndex((t) => t.id === dup)}].id`, `duplicate tool id "${dup}"`);
  }
  tools.tools.forEach((t, ti) => {
    if (!patternIds.has(t.pattern)) push(tFile, `tools[${ti}].pattern`, `unknown pattern "${t.pattern}"`);
  });
  for (const [pattern, ids] of Object.entries(CONTRACT_TOOLS)) {
    for (const id of ids) {
      const t = toolById.get(id);
      if (!t) push(tFile, 'tools', `contract tool "${id}" is missing`);
      else if (t.pattern !== pattern) {
        push(tFile, `tools[${tools.tools.indexOf(t)}].pattern`, `contract tool "${id}" belongs to "${pattern}"`);
      }
    }
  }
  for (const dup of duplicates(tools.choices.map((c) => c.id))) {
    push(tFile, `choices[${tools.choices.findIndex((c) => c.id === dup)}].id`, `duplicate choice id "${dup}"`);
  }
  const platforms = new Set(questionById.get('platform')?.options.map((o) => o.id) ?? []);
  const meshes = new Set(questionById.get('existing_mesh')?.options.map((o) => o.id) ?? []);
  tools.tools.forEach((t, ti) => {
    const base = `tools[${ti}]`;
    for (const [list, known, key, what] of [
      [t.can.platforms ?? [], platforms, 'can.platforms', 'platform'],
      [t.can.managedOn, platforms, 'can.managedOn', 'platform'],
      [t.continues, meshes, 'continues', 'existing_mesh option'],
    ] as const) {
      list.forEach((p, i) => {
        if (!known.has(p)) push(tFile, `${base}.${key}[${i}]`, `unknown ${what} "${p}"`);
      });
    }
    if (t.reachFor) checkCondition(t.reachFor, `${base}.reachFor`, { ...ctx, file: tFile, allowRecommends: false });
    if (
      UNUSABLE_STATUSES.includes(t.status) &&
      !tools.choices.some((c) => toolsOfRule(c.tool).includes(t.id) && c.effect === 'avoid')
    ) {
      push(tFile, `${base}.status`, `"${t.id}" is ${t.status}: it needs an avoid rule that says so`);
    }
  });
  tools.needs.forEach((n, ni) => {
    n.patterns.forEach((p, i) => {
      if (!patternIds.has(p)) push(tFile, `needs[${ni}].patterns[${i}]`, `unknown pattern "${p}"`);
    });
    checkCondition(n.when, `needs[${ni}].when`, { ...ctx, file: tFile, allowRecommends: true });
    if (!questionById.has(n.cites)) push(tFile, `needs[${ni}].cites`, `unknown question "${n.cites}"`);
  });
  for (const dup of duplicates(tools.needs.map((n) => n.id))) {
    push(tFile, `needs[${tools.needs.findIndex((n) => n.id === dup)}].id`, `duplicate need id "${dup}"`);
  }
  tools.modes.forEach((m, mi) => {
    const t = toolById.get(m.tool);
    if (!t) push(tFile, `modes[${mi}].tool`, `unknown tool "${m.tool}"`);
    else if (m.mode === 'ambient' && t.can.ambient === false) {
      push(tFile, `modes[${mi}].mode`, `"${m.tool}" cannot run in ambient mode (can.ambient is false)`);
    }
    if (m.when) checkCondition(m.when, `modes[${mi}].when`, { ...ctx, file: tFile, allowRecommends: true });
  });
  tools.choices.forEach((c, ci) => {
    toolsOfRule(c.tool).forEach((id, i) => {
      const path = Array.isArray(c.tool) ? `choices[${ci}].tool[${i}]` : `choices[${ci}].tool`;
      const t = toolById.get(id);
      if (!t) push(tFile, path, `unknown tool "${id}"`);
      else if (c.effect === 'support' && UNUSABLE_STATUSES.includes(t.status)) {
        push(tFile, `choices[${ci}].effect`, `"${id}" is ${t.status}: it may only be avoided, never supported`);
      }
    });
    if (c.when) checkCondition(c.when, `choices[${ci}].when`, { ...ctx, file: tFile, allowRecommends: true });
  });
  for (const id of patternIds) {
    if (id === rules.fallback.pattern) continue;
    const usable = tools.tools.filter((t) => t.pattern === id && !UNUSABLE_STATUSES.includes(t.status));
    if (usable.length === 0) push(tFile, 'tools', `pattern "${id}" has no tool that may be offered`);
  }

  // The checklists: known patterns and tools, and at least one unconditional item per layer.
  const cFile = shown(FILES.checklist);
  for (const dup of duplicates(checklist.items.map((c) => c.id))) {
    push(cFile, `items[${checklist.items.findIndex((c) => c.id === dup)}].id`, `duplicate item id "${dup}"`);
  }
  checklist.items.forEach((c, ci) => {
    if (!patternIds.has(c.pattern)) push(cFile, `items[${ci}].pattern`, `unknown pattern "${c.pattern}"`);
    for (const id of c.tool === undefined ? [] : toolsOfRule(c.tool)) {
      const t = toolById.get(id);
      if (!t) push(cFile, `items[${ci}].tool`, `unknown tool "${id}"`);
      else if (t.pattern !== c.pattern) {
        push(cFile, `items[${ci}].tool`, `tool "${id}" belongs to "${t.pattern}", not "${c.pattern}"`);
      }
    }
    if (c.when) checkCondition(c.when, `items[${ci}].when`, { ...ctx, file: cFile, allowRecommends: true });
  });
  for (const id of patternIds) {
    if (id === rules.fallback.pattern) continue;
    if (!checklist.items.some((c) => c.pattern === id && !c.tool && !c.when)) {
      push(cFile, 'items', `pattern "${id}" needs at least one item without a tool or condition`);
    }
  }

  if (issues.length > 0) throw new FlowError(issues);
  return {
    interview,
    patterns: patternsFile.patterns,
    rules,
    tools,
    checklist,
    questionById,
    patternById,
    toolById,
  };
}

const cache = new Map<string, Flow>();

/** loadFlow, parsed once per folder for the life of the process. */
export function getFlow(dir: string = DEFAULT_FLOWS_DIR): Flow {
  let flow = cache.get(dir);
  if (!flow) {
    flow = loadFlow(dir);
    cache.set(dir, flow);
  }
  return flow;
}

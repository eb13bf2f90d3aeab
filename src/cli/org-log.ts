import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DecisionStatus } from '../domain/model.js';
import { count } from '../domain/plural.js';
import { patternName } from '../domain/presentation.js';
import type { Flow } from '../engine/flow.js';
import type { Store, TeamDoc } from '../store/index.js';
import { type OrgFilters, type OrgLog, orgLog, orgRef } from '../team/org-log.js';
import { sharedOnly } from '../team/visibility.js';
import { CliError, type Io } from './main.js';

const Filters = z.object({
  status: DecisionStatus.optional(),
  pattern: z.string().optional(),
  tool: z.string().trim().min(1).optional(),
  team: z.string().optional(),
  scope: z
    .string()
    .trim()
    .transform((s) => s.toLowerCase())
    .optional(),
});

/** Every team's documents in the store, skipping none: a corrupt one fails loudly. */
export async function allTeams(store: Store): Promise<TeamDoc[]> {
  const ids = await store.teams();
  return Promise.all(ids.map((id) => store.read(id)));
}

/** The organisation's log as text: one line a record, conflicts flagged beside it and listed after. */
export function renderOrgLog(flow: Flow, log: OrgLog): string {
  const name = (p: string) => patternName(flow, p);
  if (!log.records.length) return `No decision matches (${count(log.teams, 'team')} searched).`;
  const lines = log.records.map((r) => {
    const scope = r.scope.length ? `  [${r.scope.join(', ')}]` : '';
    const flag = r.conflicts.length
      ? `  CONFLICT with ${r.conflicts.map((c) => `${c.with} on ${c.scope}`).join(', ')}`
      : '';
    return `${orgRef(r).padEnd(24)} ${r.status.padEnd(10)} ${r.date}  ${r.title} -> ${r.chosen.map(name).join(' + ')}${scope}${flag}`;
  });
  const out = [`${count(log.records.length, 'decision')} across ${count(log.teams, 'team')}:`, ...lines];
  if (log.conflicts.length) {
    out.push(
      '',
      `${count(log.conflicts.length, 'conflict')} between accepted decisions on the same cluster or environment:`,
    );
    for (const c of log.conflicts)
      out.push(
        `  ${c.scope}: ${orgRef(c.a)} (${c.a.chosen.map(name).join(' + ')}) vs ${orgRef(c.b)} (${c.b.chosen.map(name).join(' + ')})`,
      );
  }
  return out.join('\n');
}

/** `mesh-help decisions --all [--json] [--status S] [--pattern P] [--tool T] [--team ID] [--scope TAG]`. */
export async function orgDecisions(flow: Flow, store: Store, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      all: { type: 'boolean' },
      json: { type: 'boolean', default: false },
      status: { type: 'string' },
      pattern: { type: 'string' },
      tool: { type: 'string' },
      team: { type: 'string' },
      scope: { type: 'string' },
    },
    strict: true,
  });
  const parsed = Filters.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `--${String(issue?.path[0] ?? 'status')}: ${issue?.path[0] === 'status' ? `one of ${DecisionStatus.options.join(', ')}` : issue?.message}`,
    );
  }
  const f: OrgFilters = parsed.data;
  if (f.pattern && !flow.patternById.has(f.pattern))
    throw new CliError(
      `--pattern: unknown pattern "${f.pattern}"; known: ${flow.patterns.map((p) => p.id).join(', ')}`,
    );
  // The organisation's log is outside every conversation: records of private channels and DMs stay out of it.
  let leftOut = 0;
  const teams = (await allTeams(store)).map((doc) => {
    const part = sharedOnly(doc.decisions);
    leftOut += part.leftOut;
    return { ...doc, decisions: part.shared };
  });
  const log = orgLog(flow, teams, f);
  const note = `${count(leftOut, 'record')} from private channels or DMs left out; mesh-help decisions --team ID lists a team's own.`;
  io.out(
    values.json
      ? JSON.stringify(leftOut ? { ...log, privateLeftOut: leftOut } : log, null, 2)
      : `${renderOrgLog(flow, log)}${leftOut ? `\n${note}` : ''}`,
  );
  return 0;
}

import { adrId } from '../domain/machine/record.js';
import type { Decision, DecisionStatus } from '../domain/model.js';
import type { Flow } from '../engine/flow.js';
import { toolsOf } from '../engine/tools.js';

/** What the organisation-wide log can be narrowed to; every field optional, all must match. */
export type OrgFilters = {
  status?: DecisionStatus | undefined;
  pattern?: string | undefined;
  /** A tool of a chosen pattern's catalogue entry, matched by name without case (`istio`, `cilium`). */
  tool?: string | undefined;
  team?: string | undefined;
  /** A cluster or environment tag the record covers. */
  scope?: string | undefined;
};

/** A record named across teams: `T123/ADR-0004`. */
export type OrgRef = { teamId: string; number: number };
export const orgRef = (r: OrgRef): string => `${r.teamId}/${adrId(r.number)}`;

/** Two accepted records of the organisation that put different patterns on the same cluster or environment. */
export type Conflict = {
  scope: string;
  a: OrgRef & { title: string; chosen: string[] };
  b: OrgRef & { title: string; chosen: string[] };
};

export type OrgRecord = OrgRef & {
  id: string;
  title: string;
  status: DecisionStatus;
  chosen: string[];
  scope: string[];
  date: string;
  permalink?: string | undefined;
  /** Records this one conflicts with (`T123/ADR-0004`), on which tag. */
  conflicts: { with: string; scope: string }[];
};

export type OrgLog = { records: OrgRecord[]; conflicts: Conflict[]; teams: number };

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Every accepted pair sharing a tag whose chosen patterns differ: two teams
 * on the same clusters that chose a service mesh and a cluster mesh, or two
 * different answers, are told instead of finding out in production.
 */
export function findConflicts(teams: readonly { teamId: string; decisions: readonly Decision[] }[]): Conflict[] {
  const byTag = new Map<string, { teamId: string; d: Decision }[]>();
  for (const t of teams)
    for (const d of t.decisions) {
      if (d.status !== 'accepted') continue;
      for (const tag of d.scope ?? []) byTag.set(tag, [...(byTag.get(tag) ?? []), { teamId: t.teamId, d }]);
    }
  const conflicts: Conflict[] = [];
  for (const [scope, entries] of [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++) {
        const x = entries[i];
        const y = entries[j];
        if (!x || !y || sameSet(x.d.chosen, y.d.chosen)) continue;
        const side = (e: { teamId: string; d: Decision }) => ({
          teamId: e.teamId,
          number: e.d.number,
          title: e.d.title,
          chosen: [...e.d.chosen],
        });
        conflicts.push({ scope, a: side(x), b: side(y) });
      }
  }
  return conflicts;
}

/** The log of every team given, filtered, in team then number order, each record with its conflicts. */
export function orgLog(
  flow: Flow,
  teams: readonly { teamId: string; decisions: readonly Decision[] }[],
  filters: OrgFilters = {},
): OrgLog {
  const conflicts = findConflicts(teams);
  const tool = filters.tool?.toLowerCase();
  const usesTool = (d: Decision) =>
    !tool || d.chosen.some((p) => toolsOf(flow, p).some((t) => t.name.toLowerCase().includes(tool)));
  const records: OrgRecord[] = [];
  for (const t of [...teams].sort((a, b) => a.teamId.localeCompare(b.teamId))) {
    if (filters.team && t.teamId !== filters.team) continue;
    for (const d of [...t.decisions].sort((a, b) => a.number - b.number)) {
      if (filters.status && d.status !== filters.status) continue;
      if (filters.pattern && !d.chosen.includes(filters.pattern)) continue;
      if (filters.scope && !(d.scope ?? []).includes(filters.scope)) continue;
      if (!usesTool(d)) continue;
      const me = (r: OrgRef) => r.teamId === t.teamId && r.number === d.number;
      records.push({
        teamId: t.teamId,
        number: d.number,
        id: adrId(d.number),
        title: d.title,
        status: d.status,
        chosen: [...d.chosen],
        scope: [...(d.scope ?? [])],
        date: (d.decidedAt ?? d.createdAt).slice(0, 10),
        ...(d.permalink ? { permalink: d.permalink } : {}),
        conflicts: conflicts.flatMap((c) =>
          me(c.a) ? [{ with: orgRef(c.b), scope: c.scope }] : me(c.b) ? [{ with: orgRef(c.a), scope: c.scope }] : [],
        ),
      });
    }
  }
  // Only the conflicts of the records shown: a filtered view stays about what it shows.
  const shown = (r: OrgRef) => records.some((x) => x.teamId === r.teamId && x.number === r.number);
  return { records, conflicts: conflicts.filter((c) => shown(c.a) || shown(c.b)), teams: teams.length };
}

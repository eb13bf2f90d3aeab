import { match } from 'ts-pattern';
import type { Flow } from '../engine/flow.js';
import { type Drift, driftKey, driftOf } from './basis.js';
import type { Decision } from './model.js';
import { patternName } from './presentation.js';

/**
 * A record's drift as every surface shows it (card, App Home, terminal,
 * MADR): computed from today's catalogue and engine against the basis the
 * record was accepted on. Pure; returns plain, unescaped text.
 */

/** One drift with its key and whether the team acknowledged it. */
export type DriftView = {
  key: string;
  drift: Drift;
  text: string;
  ack: NonNullable<Decision['driftAcks']>[number] | undefined;
};

type Drifting = Pick<Decision, 'status' | 'answers' | 'basis' | 'driftAcks'>;

/** Every drift of an accepted record with a basis (acknowledged ones included); none for any other record. */
export function driftsOf(flow: Flow, d: Drifting): DriftView[] {
  if (d.status !== 'accepted' || !d.basis) return [];
  return driftOf(flow, d.basis, d.answers).map((drift) => {
    const key = driftKey(drift);
    return { key, drift, text: driftText(flow, drift), ack: d.driftAcks?.find((a) => a.key === key) };
  });
}

/** The drifts nobody acknowledged yet: while there is one, the record shows "Review: the basis changed". */
export const openDrifts = (flow: Flow, d: Drifting): DriftView[] => driftsOf(flow, d).filter((v) => !v.ack);

const toolName = (flow: Flow, id: string | undefined): string =>
  id === undefined ? 'none' : (flow.toolById.get(id)?.name ?? id);

/** One line naming the change: what it was, what it is, and where the fact comes from. */
export function driftText(flow: Flow, drift: Drift): string {
  return match(drift)
    .with({ kind: 'tool' }, (d) => `${d.name}: ${d.field} changed from ${d.from} to ${d.to} (source: ${d.source})`)
    .with({ kind: 'advice' }, (d) => {
      const parts: string[] = [];
      if (d.primary)
        parts.push(`recommend ${patternName(flow, d.primary.to)} instead of ${patternName(flow, d.primary.from)}`);
      if (d.complements?.added.length)
        parts.push(`add ${d.complements.added.map((p) => patternName(flow, p)).join(', ')}`);
      if (d.complements?.removed.length)
        parts.push(`no longer add ${d.complements.removed.map((p) => patternName(flow, p)).join(', ')}`);
      for (const t of d.tools)
        parts.push(
          `for ${patternName(flow, t.pattern)} pick ${toolName(flow, t.to)} instead of ${toolName(flow, t.from)}`,
        );
      const why = d.newReasons.length ? ` (new reason: ${d.newReasons.join('; ')})` : '';
      return `the same answers now ${parts.join('; ')}${why}`;
    })
    .exhaustive();
}

/**
 * Whether the drift check has anything to do for a record: a basis to
 * reconstruct, a change nobody was told of, or a notified change that was
 * undone. Read-only, so a check of an unchanged catalogue writes nothing.
 */
export function driftCheckWanted(flow: Flow, d: Drifting & Pick<Decision, 'driftNotified'>): boolean {
  if (d.status !== 'accepted') return false;
  if (!d.basis) return true;
  const drifts = driftsOf(flow, d);
  const notified = d.driftNotified ?? [];
  const current = new Set(drifts.map((v) => v.key));
  return drifts.some((v) => !v.ack && !notified.includes(v.key)) || notified.some((k) => !current.has(k));
}

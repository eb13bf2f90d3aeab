import { createHash } from 'node:crypto';
import type { ChecklistItem, Recommendation } from './recommend.js';

/** Who ticked a readiness item, and when. */
export type Tick = { by: string; byName?: string | undefined; at: string };

/** A stable key for a checklist item: the same item keeps its tick when the recommendation is recomputed. */
export const checklistKey = (item: ChecklistItem): string =>
  createHash('sha256').update(`${item.pattern}\n${item.item}`).digest('hex').slice(0, 12);

/** One readiness item as every surface shows it: the item, why, and who ticked it. */
export type ChecklistLine = ChecklistItem & { key: string; tick?: Tick | undefined };

/** The recommendation's checklist with its ticks; ticks of items no longer listed are left out. */
export function checklistState(rec: Recommendation, ticks: Readonly<Record<string, Tick>> = {}): ChecklistLine[] {
  return rec.checklist.map((item) => {
    const key = checklistKey(item);
    return { ...item, key, tick: ticks[key] };
  });
}

/** "3 of 7 done" */
export const checklistProgress = (lines: readonly ChecklistLine[]): { done: number; total: number } => ({
  done: lines.filter((l) => l.tick).length,
  total: lines.length,
});

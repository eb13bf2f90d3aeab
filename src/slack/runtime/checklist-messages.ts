import { checklistState } from '../../engine/checklist.js';
import type { Flow } from '../../engine/flow.js';
import {
  type ChecklistHolder,
  checklistHolder,
  checklistRecommendation,
  checklistTsOf,
  setChecklistTs,
} from '../../team/discussion.js';
import { type ChecklistState, checklistMessage } from '../blocks/checklist.js';
import type { Message } from '../blocks/kit.js';
import type { Run } from './effects.js';

/** Where a thread's checklist is posted. */
export type ChecklistWhere = { teamId: string; sessionId: string; channel: string; threadTs: string };

/** The thread's checklist as stored now: the interview's recommendation with the holder's ticks. */
export function renderChecklist(flow: Flow, found: ChecklistHolder, state: ChecklistState): Message | undefined {
  const rec = checklistRecommendation(found);
  return rec ? checklistMessage(flow, checklistState(rec, found.holder.checklistTicks), state) : undefined;
}

/** A checklist write touches the session and, once decided, its record (setChecklistTs keeps both). */
const touched = (run: Run, where: ChecklistWhere) => ({
  session: where.sessionId,
  decision: checklistHolder(run.doc, where.sessionId)?.session.decisionNumber,
});

/** Marks the thread's posted checklist replaced and forgets it (its recommendation card was retired). */
export async function retireChecklist(run: Run, where: ChecklistWhere): Promise<void> {
  const found = checklistHolder(run.doc, where.sessionId);
  const ts = found && checklistTsOf(found);
  if (!found || !ts) return;
  const msg = checklistMessage(run.deps.flow, [], 'replaced');
  await run.attempt('retiring a readiness checklist', () =>
    run.client.chat.update({ channel: where.channel, ts, ...msg }),
  );
  await run.write(touched(run, where), (doc) => {
    const now = checklistHolder(doc, where.sessionId);
    if (now && checklistTsOf(now) === ts) setChecklistTs(now, undefined);
  });
}

/**
 * Posts the checklist of the card just posted (`cardTs`), right under it, and
 * stores its ts; an older checklist still stored is retired first. Nothing is
 * posted when the recommendation has no checklist, and a checklist whose card
 * was replaced while it was being posted is marked replaced at once.
 */
export async function postChecklist(run: Run, where: ChecklistWhere, cardTs: string): Promise<void> {
  let found = checklistHolder(run.doc, where.sessionId);
  if (!found || found.session.cardTs !== cardTs) return;
  if (checklistTsOf(found)) {
    await retireChecklist(run, where);
    found = checklistHolder(run.doc, where.sessionId) ?? found;
  }
  const msg = renderChecklist(run.deps.flow, found, 'active');
  if (!msg || !found.session.recommendation?.checklist.length) return;
  let ts: string | undefined;
  await run.attempt('posting the readiness checklist', async () => {
    ts = (await run.client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs, ...msg })).ts;
  });
  const posted = ts;
  if (!posted) return;
  const kept = await run.write(touched(run, where), (doc) => {
    const now = checklistHolder(doc, where.sessionId);
    if (!now || now.session.cardTs !== cardTs) return false;
    setChecklistTs(now, posted);
    return true;
  });
  if (!kept) {
    const replaced = checklistMessage(run.deps.flow, [], 'replaced');
    await run.attempt('retiring a readiness checklist', () =>
      run.client.chat.update({ channel: where.channel, ts: posted, ...replaced }),
    );
  }
}

/** Re-renders a checklist message: with its ticks while it is the thread's, else as replaced. */
export async function refreshChecklist(run: Run, where: ChecklistWhere, ts: string): Promise<void> {
  const found = checklistHolder(run.doc, where.sessionId);
  if (!found) return;
  const msg = renderChecklist(run.deps.flow, found, checklistTsOf(found) === ts ? 'active' : 'replaced');
  if (msg)
    await run.attempt('updating the readiness checklist', () =>
      run.client.chat.update({ channel: where.channel, ts, ...msg }),
    );
}

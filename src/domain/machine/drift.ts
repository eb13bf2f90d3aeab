import type { Flow } from '../../engine/flow.js';
import { findByKey, plainList } from '../../team/lookup.js';
import { basisOf } from '../basis.js';
import { driftsOf } from '../drift.js';
import type { TeamDoc } from '../team.js';
import type { Effect } from './effects.js';
import type { Event, Outcomes, RecordRefusal } from './events.js';

type Of<T extends Event['type']> = Extract<Event, { type: T }>;

/** The longest acknowledgement reason kept: one line, as the modal asks. */
export const ACK_REASON_MAX = 500;

/**
 * Every record accepted by this step keeps what it was accepted on. Run after
 * each event, so every way of accepting (card, record by number, deadline,
 * supersede, the terminal) gets one; a record accepted again after a reopen
 * gets a fresh one, and the notices of the old basis no longer count.
 */
export function stampBases(flow: Flow, doc: TeamDoc, now: Date): void {
  const at = now.toISOString();
  // Scanned as stored (no draft per record); only a record accepted in this very step is changed.
  const due = plainList(doc.decisions).filter(
    (d) => d.status === 'accepted' && d.decidedAt === at && d.basis?.at !== at,
  );
  for (const { number } of due) {
    const d = findByKey(doc.decisions, (x) => x.number === number);
    if (!d) continue;
    d.basis = basisOf(flow, d, now);
    delete d.driftNotified;
    delete d.driftClaimedAt;
    delete d.driftClaimedBy;
    delete d.driftClaimedKeys;
  }
}

/**
 * Claims the notice of a record's new drifts for `owner`, as the revisit
 * reminder is claimed: a claim left unmarked by a bot that stopped means the
 * thread is read before posting again, and a claim another running bot took
 * within the lease is its to finish. A record accepted before bases were kept
 * gets one computed from its stored answers (marked reconstructed) the first
 * time it is checked.
 */
export function driftDue(flow: Flow, doc: TeamDoc, e: Of<'drift-due'>, now: Date, fx: Effect[]): Outcomes['drift-due'] {
  const d = doc.decisions.find((x) => x.number === e.number);
  if (d?.status !== 'accepted') return { kind: 'no-drift' };
  if (!d.basis) {
    d.basis = basisOf(flow, d, now, true);
    return { kind: 'no-drift' };
  }
  const drifts = driftsOf(flow, d);
  const current = new Set(drifts.map((v) => v.key));
  // A change that was undone is forgotten: if it comes back, that is a new change worth a notice.
  const notified = (d.driftNotified ?? []).filter((k) => current.has(k));
  if (notified.length !== (d.driftNotified ?? []).length) {
    d.driftNotified = notified;
    fx.push({ type: 'update-record-cards', number: d.number });
  }
  const fresh = drifts.filter((v) => !v.ack && !notified.includes(v.key));
  if (!fresh.length || !d.channel || !d.threadTs) return { kind: 'no-drift' };
  const earlier = d.driftClaimedAt;
  if (earlier && d.driftClaimedBy && d.driftClaimedBy !== e.owner) {
    if (now.getTime() - Date.parse(earlier) < e.leaseMs) return { kind: 'held-by-another' };
  }
  const keys = fresh.map((v) => v.key);
  // Only a claim on these very changes can have been posted already.
  const recover = earlier !== undefined && sameKeys(d.driftClaimedKeys ?? [], keys);
  d.driftClaimedAt = now.toISOString();
  d.driftClaimedBy = e.owner;
  d.driftClaimedKeys = keys;
  fx.push({ type: 'post-drift', number: d.number, keys, lines: fresh.map((v) => v.text), recover });
  return { kind: 'claimed', keys };
}

const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** "Still right for us, because …": every open drift of the record is acknowledged with the team's reason. */
export function acknowledgeDrift(
  flow: Flow,
  doc: TeamDoc,
  e: Of<'acknowledge-drift'>,
  now: Date,
  fx: Effect[],
): Outcomes['acknowledge-drift'] {
  const d = doc.decisions.find((x) => x.number === e.number);
  if (!d) return { kind: 'not-found' } satisfies RecordRefusal;
  if (e.userTeam !== doc.teamId) return { kind: 'foreign-team' };
  const reason = e.reason.replace(/\s+/g, ' ').trim();
  if (!reason) return { kind: 'refused', message: 'Say in one line why the decision still holds.' };
  if (reason.length > ACK_REASON_MAX)
    return { kind: 'refused', message: `Keep the reason under ${ACK_REASON_MAX} characters.` };
  const open = driftsOf(flow, d).filter((v) => !v.ack);
  if (!open.length) return { kind: 'nothing-to-acknowledge' };
  const at = now.toISOString();
  const by = { by: e.by, ...(e.byName ? { byName: e.byName } : {}) };
  d.driftAcks = [...(d.driftAcks ?? []), ...open.map((v) => ({ key: v.key, ...by, at, reason }))];
  // An acknowledged change needs no notice of its own any more.
  d.driftNotified = [...new Set([...(d.driftNotified ?? []), ...open.map((v) => v.key)])];
  d.updatedAt = at;
  fx.push(
    { type: 'update-record-cards', number: d.number },
    {
      type: 'note-record-thread',
      number: d.number,
      note: { kind: 'drift-acknowledged', number: d.number, actor: e.by, reason },
    },
  );
  return { kind: 'acknowledged', keys: open.map((v) => v.key) };
}

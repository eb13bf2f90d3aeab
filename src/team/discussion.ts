import { randomUUID } from 'node:crypto';
import type { Approval, Concern, Decision, Reply, Session } from '../domain/model.js';
import type { TeamDoc } from '../domain/team.js';
import type { Recommendation } from '../engine/recommend.js';
import { findByKey } from './lookup.js';

/** How many delivered Slack event ids a team remembers, to drop retries. */
export const SEEN_EVENTS_KEPT = 500;

/** Remembers an event id; false when it was seen before (a retry that must have no effect). */
export function firstDelivery(doc: TeamDoc, eventId: string): boolean {
  if (doc.seenEvents.includes(eventId)) return false;
  doc.seenEvents.push(eventId);
  if (doc.seenEvents.length > SEEN_EVENTS_KEPT) doc.seenEvents.splice(0, doc.seenEvents.length - SEEN_EVENTS_KEPT);
  return true;
}

/** The session whose thread this is (by channel and thread ts). */
export function sessionForThread(doc: TeamDoc, channel: string, threadTs: string): Session | undefined {
  return findByKey(doc.sessions, (s) => s.channel === channel && s.threadTs === threadTs);
}

/** Where a captured discussion lives: the decision once there is one, the session before. */
export function holderOf(doc: TeamDoc, session: Session): Session | Decision {
  const decision = session.decisionNumber
    ? findByKey(doc.decisions, (d) => d.number === session.decisionNumber)
    : undefined;
  return decision ?? session;
}

/**
 * Moves what was said in the interview thread (replies, concerns, approvals)
 * from the session to the decision recorded from it, so the record carries the
 * whole discussion and later edits find their reply. Each item is kept once.
 */
export function carryDiscussion(session: Session, decision: Decision): void {
  for (const r of session.replies) if (!decision.replies.some((x) => x.ts === r.ts)) decision.replies.push(r);
  decision.replies.sort((a, b) => Number(a.ts) - Number(b.ts));
  decision.replies.splice(MAX_THREAD_REPLIES);
  for (const c of session.concerns) if (!decision.concerns.some((x) => x.id === c.id)) decision.concerns.push(c);
  for (const a of session.approvals) if (!decision.approvals.some((x) => x.by === a.by)) decision.approvals.push(a);
  for (const [key, tick] of Object.entries(session.checklistTicks)) decision.checklistTicks[key] ??= tick;
  if (session.checklistTs) decision.checklistTs = session.checklistTs;
  session.replies = [];
  session.concerns = [];
  session.approvals = [];
  session.checklistTicks = {};
}

/** Most characters of one reply kept; the rest stays in Slack, a link away. */
export const MAX_REPLY_CHARS = 4000;
/** Most replies kept per thread: the first ones (where the argument is made); later ones stay in Slack. */
export const MAX_THREAD_REPLIES = 300;
/** What ends a reply kept in part. */
export const CLIPPED_MARK = ' … (cut here: the whole reply is in Slack)';

/** A reply's text as kept: its first part when it is longer than MAX_REPLY_CHARS. */
export function keptText(text: string): string {
  if (text.length <= MAX_REPLY_CHARS) return text;
  // Counted and cut in code points, never inside a surrogate pair.
  const points = Array.from(text);
  return points.length <= MAX_REPLY_CHARS ? text : `${points.slice(0, MAX_REPLY_CHARS).join('')}${CLIPPED_MARK}`;
}

/** Keeps a human reply once (by its ts), its text bounded, while the thread has room. */
export type ReplyInput = { ts: string; user: string; userName?: string; text: string; at: string; permalink?: string };

export function captureReply(doc: TeamDoc, session: Session, reply: ReplyInput): boolean {
  const holder = holderOf(doc, session);
  if (holder.replies.some((r) => r.ts === reply.ts)) return false;
  // A flood of replies cannot grow the team's document without bound: past the limit, Slack keeps them.
  if (holder.replies.length >= MAX_THREAD_REPLIES) return false;
  const stored: Reply = { ...reply, text: keptText(reply.text), deleted: false };
  holder.replies.push(stored);
  holder.replies.sort((a, b) => Number(a.ts) - Number(b.ts));
  return true;
}

/** Reflects an edit made in Slack. */
export function editReply(doc: TeamDoc, session: Session, ts: string, text: string, at: string): boolean {
  const reply = holderOf(doc, session).replies.find((r) => r.ts === ts);
  if (!reply) return false;
  reply.text = keptText(text);
  reply.editedAt = at;
  return true;
}

/** Reflects a deletion made in Slack: the text is dropped, the fact is kept. */
export function deleteReply(doc: TeamDoc, session: Session, ts: string): boolean {
  const reply = holderOf(doc, session).replies.find((r) => r.ts === ts);
  if (!reply || reply.deleted) return false;
  reply.deleted = true;
  reply.text = '';
  return true;
}

export function raiseConcern(
  holder: Session | Decision,
  input: { id?: string; by: string; byName?: string; text: string; at: string },
): Concern {
  const concern: Concern = { ...input, id: input.id ?? randomUUID().slice(0, 8) };
  holder.concerns.push(concern);
  return concern;
}

export function resolveConcern(holder: Session | Decision, id: string, by: string, at: string): Concern | undefined {
  const concern = holder.concerns.find((c) => c.id === id && !c.resolvedAt);
  if (!concern) return undefined;
  concern.resolvedBy = by;
  concern.resolvedAt = at;
  return concern;
}

export const openConcerns = (holder: Session | Decision): Concern[] => holder.concerns.filter((c) => !c.resolvedAt);

/** Records an approval; the same person approving twice counts once. Returns the distinct approvals. */
export function approve(holder: Session | Decision, approval: Approval): Approval[] {
  if (!holder.approvals.some((a) => a.by === approval.by)) holder.approvals.push(approval);
  return holder.approvals;
}

/** Accepted decisions whose revisit date has come and whose reminder is not yet known to be posted. */
export function dueReminders(doc: TeamDoc, today: string): Decision[] {
  return doc.decisions.filter(
    (d) => d.status === 'accepted' && d.revisitOn !== undefined && d.revisitOn <= today && !d.reminderPostedAt,
  );
}

/** An interview, and where its checklist ticks live: the decision once there is one, else the session. */
export type ChecklistHolder = { session: Session; holder: Session | Decision };

export function checklistHolder(doc: TeamDoc, sessionId: string): ChecklistHolder | undefined {
  const session = findByKey(doc.sessions, (s) => s.id === sessionId);
  return session ? { session, holder: holderOf(doc, session) } : undefined;
}

/** The posted checklist of a thread (the holder's; the session's before a decision carries it over). */
export const checklistTsOf = ({ session, holder }: ChecklistHolder): string | undefined =>
  holder.checklistTs ?? session.checklistTs;

/**
 * Records (or forgets) the posted checklist on the session and on its
 * decision alike, so re-accepting a reopened record never brings back an old one.
 */
export function setChecklistTs({ session, holder }: ChecklistHolder, ts: string | undefined): void {
  for (const x of new Set<Session | Decision>([session, holder])) {
    if (ts) x.checklistTs = ts;
    else delete x.checklistTs;
  }
}

/** The recommendation whose checklist the thread shows: the interview's (a reopened record's may have moved on). */
export const checklistRecommendation = ({ session, holder }: ChecklistHolder): Recommendation | undefined =>
  session.recommendation ?? ('chosen' in holder ? holder.recommendation : undefined);

import type { TeamDoc } from '../../store/index.js';
import { SEEN_EVENTS_KEPT } from '../../team/discussion.js';
import { BOOT, isReplaying } from './claims.js';
import type { SlackDeps } from './context.js';

/** Message metadata that marks a mention's answer with the event it answers, so a replay can find it. */
export const MENTION_EVENT = 'mesh_help_mention';

/**
 * What to do with a mention event: `post` the answer (first delivery),
 * `recover` (a process that stopped claimed it and did not mark it posted:
 * look in the thread before posting), or `skip` (answered, or being answered
 * by this process).
 */
export type MentionClaim = 'post' | 'recover' | 'skip';

const remember = (doc: TeamDoc, entry: string) => {
  doc.seenEvents.push(entry);
  if (doc.seenEvents.length > SEEN_EVENTS_KEPT) doc.seenEvents.splice(0, doc.seenEvents.length - SEEN_EVENTS_KEPT);
};
const claimPrefix = (eventId: string) => `claim:${eventId}|`;
const postedMark = (eventId: string) => `posted:${eventId}`;

/**
 * Claims the answer to a mention in the team's seen events (bounded like
 * them): the event id itself (so retries are dropped as before), and a claim
 * naming this process. An event seen with another process's claim and no
 * posted mark was cut off by a crash: its replay takes the claim over.
 */
export function claimMention(doc: TeamDoc, eventId: string): MentionClaim {
  const seen = doc.seenEvents;
  if (seen.includes(postedMark(eventId))) return 'skip';
  const prefix = claimPrefix(eventId);
  if (!seen.includes(eventId)) {
    remember(doc, eventId);
    remember(doc, `${prefix}${BOOT}`);
    return 'post';
  }
  const claim = seen.find((e) => e.startsWith(prefix));
  // No claim: seen before claims were kept (answered at most once then); ours: this process is on it;
  // another live replica's (a retry delivered here while it works): only a replay from our journal takes over.
  if (!claim || claim === `${prefix}${BOOT}` || !isReplaying(eventId)) return 'skip';
  doc.seenEvents = seen.filter((e) => e !== claim);
  remember(doc, `${prefix}${BOOT}`);
  return 'recover';
}

/** The answer is in the thread: a later replay of the event does nothing. */
export function markMentionPosted(deps: SlackDeps, teamId: string, eventId: string): Promise<void> {
  return deps.store.update(teamId, (doc) => {
    const prefix = claimPrefix(eventId);
    doc.seenEvents = doc.seenEvents.filter((e) => !e.startsWith(prefix));
    if (!doc.seenEvents.includes(postedMark(eventId))) remember(doc, postedMark(eventId));
  });
}

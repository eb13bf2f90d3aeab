import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { approvers, requiredNotApproved } from '../../domain/machine/accept.js';
import { blockers } from '../../domain/machine/step.js';
import type { Session, TeamDoc } from '../../store/index.js';
import { findByKey } from '../../team/lookup.js';
import { type Message, section, who } from '../blocks/kit.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { slackError } from './interview.js';

/** Metadata on a deadline reminder, so a restart finds it in the thread instead of posting it again. */
export const NUDGE_EVENT = 'mesh_help_deadline_nudge';

/** The name decisions taken by the deadline are recorded under. */
export const DEADLINE_ACTOR = 'mesh-help';

const day = (d: Date): string => d.toISOString().slice(0, 10);
const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
/** Monday to Friday (UTC): nobody is reminded on a weekend. */
const workingDay = (d: Date): boolean => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;

/**
 * Who the reminder names: the team's required approvers who have not approved,
 * or, when it names none, people of the interview (who started it and who answered) who have not.
 */
function notApproved(doc: TeamDoc, s: Session): string[] {
  if (doc.config.approvers?.length) return requiredNotApproved(doc, s);
  const done = new Set(approvers(s));
  return [...new Set([s.startedBy, ...Object.values(s.answeredBy).map((a) => a.by)])].filter(
    (u) => /^[UW][A-Z0-9]+$/.test(u) && !done.has(u),
  );
}

/** The daily reminder in the thread. */
export function nudgeMessage(doc: TeamDoc, s: Session): Message {
  const { missing, concerns } = blockers(doc, s);
  const parts: string[] = [];
  if (missing) {
    const people = notApproved(doc, s);
    const required = Boolean(doc.config.approvers?.length) && people.length > 0;
    parts.push(
      required
        ? `waiting for the required approval of ${people.map(who).join(', ')}`
        : `${missing} more approval${missing === 1 ? '' : 's'} needed${people.length ? ` (${people.map(who).join(', ')}: yours is not in yet)` : ''}`,
    );
  }
  if (concerns) parts.push(`${concerns} open concern${concerns === 1 ? '' : 's'} to resolve`);
  const text = `:alarm_clock: Decide by ${when(s.deadline ?? '')}: ${parts.join('; ')}. At the deadline this recommendation is accepted if enough people approved and no concern is open; otherwise it expires.`;
  return { text: `Deadline ${when(s.deadline ?? '')}: ${parts.join('; ')}`, blocks: [section(text)] };
}

const Replies = z.looseObject({
  messages: z.array(
    z.looseObject({
      ts: z.string(),
      metadata: z
        .looseObject({ event_type: z.string().optional(), event_payload: z.record(z.string(), z.unknown()).optional() })
        .optional(),
    }),
  ),
});

/** Whether the thread already holds today's reminder (after a restart between posting and marking it). */
async function nudgedInThread(client: WebClient, s: Session, today: string): Promise<boolean> {
  if (!s.channel || !s.threadTs) return false;
  const raw = await client.conversations.replies({
    channel: s.channel,
    ts: s.threadTs,
    include_all_metadata: true,
    limit: 200,
  });
  const parsed = Replies.safeParse(raw);
  if (!parsed.success) throw new Error('unreadable conversations.replies answer');
  return parsed.data.messages.some(
    (m) =>
      m.metadata?.event_type === NUDGE_EVENT &&
      m.metadata.event_payload?.session === s.id &&
      m.metadata.event_payload?.day === today,
  );
}

/** Posts today's reminder at most once, across restarts (claimed first, marked after, the thread read when in doubt). */
async function nudge(deps: SlackDeps, client: WebClient, teamId: string, sessionId: string, now: Date) {
  const today = day(now);
  const claim = await deps.store.update(teamId, (doc) => {
    const s = findByKey(doc.sessions, (x) => x.id === sessionId);
    if (s?.status !== 'complete' || s.nudgedOn === today || !s.channel || !s.threadTs) return undefined;
    const earlier = s.nudgeClaimedOn === today;
    s.nudgeClaimedOn = today;
    return { earlier, message: nudgeMessage(doc, s), channel: s.channel, threadTs: s.threadTs, session: s };
  });
  if (!claim) return;
  try {
    const already = claim.earlier && (await nudgedInThread(client, claim.session, today));
    if (!already)
      await client.chat.postMessage({
        channel: claim.channel,
        thread_ts: claim.threadTs,
        ...claim.message,
        metadata: { event_type: NUDGE_EVENT, event_payload: { session: sessionId, day: today } },
      });
  } catch (err) {
    deps.logger.warn(`mesh-help: could not post a deadline reminder: ${slackError(err)}`);
    return;
  }
  await deps.store.update(teamId, (doc) => {
    const s = findByKey(doc.sessions, (x) => x.id === sessionId);
    if (s) s.nudgedOn = today;
  });
}

/** At the deadline: the state machine accepts (quorum, no open concern) the way the button does, or lets it expire. */
async function settle(deps: SlackDeps, client: WebClient, teamId: string, sessionId: string) {
  await dispatch(deps, client, teamId, {
    type: 'deadline',
    sessionId,
    actor: DEADLINE_ACTOR,
    actorName: 'mesh-help (deadline)',
  });
}

/**
 * One round over every team: recommendations past their deadline are settled;
 * the others get one reminder a working day (not on the day they were made)
 * while approvals are missing or a concern is open.
 */
export async function deadlinesDue(
  deps: SlackDeps,
  clientFor: (teamId: string) => Promise<WebClient | undefined>,
): Promise<void> {
  const now = deps.now();
  for (const teamId of await deps.store.teams()) {
    // One team's unreadable file or missing install is that team's problem: the teams after it still get theirs.
    try {
      const doc = await deps.store.read(teamId);
      const due = doc.sessions.filter((s) => s.status === 'complete' && s.deadline);
      if (!due.length) continue;
      const client = await clientFor(teamId);
      if (!client) {
        deps.logger.warn(`mesh-help: no install with a bot token for team ${teamId}; its deadlines wait`);
        continue;
      }
      for (const s of due) {
        if (!s.deadline) continue;
        if (now.toISOString() >= s.deadline) {
          await settle(deps, client, teamId, s.id);
          continue;
        }
        const { missing, concerns } = blockers(doc, s);
        const madeOn = (s.deadlineSetAt ?? '').slice(0, 10);
        if ((missing || concerns) && workingDay(now) && day(now) > madeOn && s.nudgedOn !== day(now))
          await nudge(deps, client, teamId, s.id, now);
      }
    } catch (err) {
      deps.logger.warn(`mesh-help: deadlines of team ${teamId} skipped: ${(err as Error).message}`);
    }
  }
}

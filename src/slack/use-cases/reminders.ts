import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { dueReminders } from '../../team/discussion.js';
import { findByKey } from '../../team/lookup.js';
import { reminderMessage } from '../blocks/reminder.js';
import { REMINDER } from '../ids.js';
import type { SlackDeps } from '../runtime/context.js';
import { deadlinesDue } from './deadlines.js';
import { slackError } from './interview.js';

/** How often due reminders are looked for (besides once at start). */
export const REMINDER_INTERVAL_MS = 60_000;

/**
 * How long another bot's claim on a reminder is left alone: far longer than a
 * post takes with its retries, so two replicas never post one reminder, while a
 * replica that died holding a claim delays the reminder by this much at most.
 */
export const REMINDER_CLAIM_LEASE_MS = 10 * 60_000;

const Replies = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
          .optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/**
 * The ts of a reminder for `number` already in the thread (found by its
 * message metadata), undefined when there is none; throws when the thread
 * cannot be read, so the caller does not post blind.
 */
export async function postedReminder(
  client: WebClient,
  channel: string,
  threadTs: string,
  number: number,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const raw = await client.conversations.replies({
      channel,
      ts: threadTs,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const parsed = Replies.safeParse(raw);
    if (!parsed.success) throw new Error('unreadable conversations.replies answer');
    const hit = parsed.data.messages.find(
      (m) => m.metadata?.event_type === REMINDER.eventType && m.metadata.event_payload?.decision === number,
    );
    if (hit) return hit.ts;
    cursor = parsed.data.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/**
 * Posts one decision's reminder at most once. The claim is written before the
 * post and the posted mark after it; a claim found without a mark means a bot
 * stopped in between, so the thread is read for the reminder's metadata before
 * anything is posted again. A claim another running bot (`owner`) took within
 * the lease is its to finish, so replicas sharing a store never post twice.
 */
export async function remind(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  number: number,
  owner: string,
): Promise<void> {
  const at = deps.now().toISOString();
  const claim = await deps.store.update(teamId, (doc) => {
    const d = findByKey(doc.decisions, (x) => x.number === number);
    if (d?.status !== 'accepted' || d.reminderPostedAt || !d.channel || !d.threadTs) return undefined;
    const earlier = d.reminderClaimedAt;
    const othersLease =
      earlier && d.reminderClaimedBy && d.reminderClaimedBy !== owner
        ? Date.parse(at) - Date.parse(earlier) < REMINDER_CLAIM_LEASE_MS
        : false;
    if (othersLease) return undefined;
    d.reminderClaimedAt = at;
    d.reminderClaimedBy = owner;
    return { earlier, channel: d.channel, threadTs: d.threadTs, decision: d };
  });
  if (!claim) return;
  const { channel, threadTs, decision } = claim;
  let ts: string | undefined;
  try {
    if (claim.earlier) ts = await postedReminder(client, channel, threadTs, number);
    ts ??= (
      await client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        ...reminderMessage(teamId, decision),
        metadata: { event_type: REMINDER.eventType, event_payload: { decision: number } },
      })
    ).ts;
  } catch (err) {
    // The claim stays: the next round reads the thread first, then posts if it is still missing.
    deps.logger.warn(`mesh-help: could not post the revisit reminder of decision ${number}: ${slackError(err)}`);
    return;
  }
  await deps.store.update(teamId, (doc) => {
    const d = findByKey(doc.decisions, (x) => x.number === number);
    if (!d) return;
    d.reminderPostedAt = deps.now().toISOString();
    if (ts) d.reminderTs = ts;
  });
}

/** One round: every team's accepted decisions whose revisit date has come and whose reminder is not posted. */
export async function remindDue(deps: SlackDeps, clientFor: ClientFor, owner: string): Promise<void> {
  const today = deps.now().toISOString().slice(0, 10);
  for (const teamId of await deps.store.teams()) {
    // One team's unreadable file is that team's problem: the teams after it still get their reminders.
    try {
      const due = dueReminders(await deps.store.read(teamId), today).filter((d) => d.channel && d.threadTs);
      if (!due.length) continue;
      const client = await clientFor(teamId);
      if (!client) {
        deps.logger.warn(`mesh-help: no install with a bot token for team ${teamId}; its revisit reminders wait`);
        continue;
      }
      for (const d of due) await remind(deps, client, teamId, d.number, owner);
    } catch (err) {
      deps.logger.warn(`mesh-help: revisit reminders of team ${teamId} skipped: ${(err as Error).message}`);
    }
  }
}

/** The Web API client that speaks for a team: the one bot token, or the team's install. */
export type ClientFor = (teamId: string) => Promise<WebClient | undefined>;

/** Runs `remindDue` at start and then every `intervalMs`, one round at a time; `stop` waits for a running round. */
export function startReminders(deps: SlackDeps, clientFor: ClientFor, intervalMs = REMINDER_INTERVAL_MS) {
  let running: Promise<void> | undefined;
  let stopped = false;
  // Names this bot's claims, so a replica sharing the store leaves them alone.
  const owner = randomUUID();
  const round = () => {
    if (running || stopped) return;
    running = remindDue(deps, clientFor, owner)
      .catch((err) => deps.logger.warn(`mesh-help: revisit reminders failed: ${(err as Error).message}`))
      // Deadlines share the round: reminders of recommendations, and accepting or expiring them when due.
      .then(() => deadlinesDue(deps, clientFor))
      .catch((err) => deps.logger.warn(`mesh-help: deadlines failed: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    /** True while a round runs. */
    get busy(): boolean {
      return running !== undefined;
    },
    /** Resolves once no round runs (a round started meanwhile is waited for too). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ChangedMessage, DeletedMessage, EventEnvelope, PostedMessage } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { candidatesOf } from '../../runtime/middleware.js';
import { captureFromSlack, type ThreadChange, tsToIso, unescapeSlack } from '../../use-cases/discussion.js';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** A reply inside a thread (not the thread's first message). */
const inThread = (ts: string, threadTs: string | undefined): threadTs is string =>
  threadTs !== undefined && threadTs !== ts;

/** Reads one delivery into a change of a thread; undefined for anything a person did not write in a thread. */
export function threadChange(
  event: unknown,
  botUserId: string | undefined,
): { channel: string; threadTs: string; change: ThreadChange } | undefined {
  const bot = (m: { user?: string | undefined; bot_id?: string | undefined }) =>
    m.bot_id !== undefined || m.user === undefined || m.user === botUserId;
  const posted = PostedMessage.safeParse(event);
  if (posted.success) {
    const m = posted.data;
    if (bot(m) || !inThread(m.ts, m.thread_ts) || m.user === undefined) return undefined;
    // `@mesh-help …` is a request to the bot (app_mention answers it), not part of the argument.
    if (botUserId && m.text.trimStart().startsWith(`<@${botUserId}>`)) return undefined;
    return {
      channel: m.channel,
      threadTs: m.thread_ts,
      change: { kind: 'posted', ts: m.ts, user: m.user, text: unescapeSlack(m.text) },
    };
  }
  const changed = ChangedMessage.safeParse(event);
  if (changed.success) {
    const m = changed.data.message;
    if (bot(m) || !inThread(m.ts, m.thread_ts)) return undefined;
    return {
      channel: changed.data.channel,
      threadTs: m.thread_ts,
      change: { kind: 'edited', ts: m.ts, text: unescapeSlack(m.text), at: tsToIso(m.edited?.ts ?? m.ts) },
    };
  }
  const deleted = DeletedMessage.safeParse(event);
  if (deleted.success) {
    const d = deleted.data;
    const prev = d.previous_message;
    if (!prev || prev.bot_id !== undefined || !inThread(d.deleted_ts, prev.thread_ts)) return undefined;
    return { channel: d.channel, threadTs: prev.thread_ts, change: { kind: 'deleted', ts: d.deleted_ts } };
  }
  return undefined;
}

/**
 * `message.channels` / `message.groups`: human replies, edits and deletions in
 * a thread the bot started are kept with its session or decision. Slack has
 * had its 200 already; the store write waits for a work slot.
 */
export function threadMessage(deps: SlackDeps) {
  return async ({ event, body, context, client }: Args): Promise<void> => {
    const read = threadChange(event, context.botUserId);
    const envelope = EventEnvelope.safeParse(body);
    const eventId = envelope.success ? envelope.data.event_id : undefined;
    if (!read || !eventId) return;
    const release = await deps.work.acquire();
    try {
      await captureFromSlack(deps, client, {
        eventId,
        candidates: candidatesOf(context),
        ...read,
      });
    } finally {
      release();
    }
  };
}

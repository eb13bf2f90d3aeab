import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { oneLine } from '../../adr/index.js';
import type { ReplyInput } from '../../team/discussion.js';
import { clip } from '../escape.js';
import { tsToIso, unescapeSlack } from './discussion.js';

/** Most messages read back from a thread the interview is started in (the rest of a very long thread is not kept). */
export const MAX_THREAD_MESSAGES = 400;

const ThreadMessage = z.looseObject({
  ts: z.string(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().default(''),
});
const Replies = z.looseObject({
  messages: z.array(ThreadMessage).default([]),
  response_metadata: z.looseObject({ next_cursor: z.string().optional() }).optional(),
});

/** A conversation read back for the interview: what people said (bots and system messages left out), and a title. */
export type ReadThread = { replies: ReplyInput[]; title: string };

/**
 * Reads the thread (or the single message) a shortcut was used on: every
 * message a person wrote, oldest first, as the discussion's replies; the first
 * one's opening words make the title.
 */
export async function readThread(client: WebClient, channel: string, threadTs: string): Promise<ReadThread> {
  const replies: ReplyInput[] = [];
  let cursor: string | undefined;
  do {
    const raw = await client.conversations.replies({
      channel,
      ts: threadTs,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    const parsed = Replies.safeParse(raw);
    if (!parsed.success) throw new Error('unreadable conversations.replies answer');
    for (const m of parsed.data.messages) {
      const person = m.user !== undefined && m.bot_id === undefined;
      const said = m.subtype === undefined || m.subtype === 'thread_broadcast' || m.subtype === 'file_share';
      if (person && said && m.user && m.text.trim())
        replies.push({ ts: m.ts, user: m.user, text: unescapeSlack(m.text), at: tsToIso(m.ts) });
    }
    cursor = parsed.data.response_metadata?.next_cursor || undefined;
  } while (cursor && replies.length < MAX_THREAD_MESSAGES);
  const first = replies[0]?.text.replace(/<[^>]*>/g, '') ?? '';
  return { replies: replies.slice(0, MAX_THREAD_MESSAGES), title: clip(oneLine(first), 80) };
}

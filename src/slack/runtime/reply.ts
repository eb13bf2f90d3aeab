import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Message } from '../blocks/kit.js';

/** Where a private answer can go when there is no response_url. */
export type Privately = { channel?: string | undefined; user: string; threadTs?: string | undefined };

/**
 * Tells one person something only they see: through the response_url when the
 * request has one, else as an ephemeral message, else in the app's DM.
 */
export async function tellPrivately(
  client: WebClient,
  respond: RespondFn | undefined,
  where: Privately,
  message: Message,
): Promise<void> {
  if (respond) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    return;
  }
  if (where.channel) {
    try {
      await client.chat.postEphemeral({
        channel: where.channel,
        user: where.user,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        ...message,
      });
      return;
    } catch {
      // Not a member of that channel: fall through to the DM.
    }
  }
  await client.chat.postMessage({ channel: where.user, ...message });
}

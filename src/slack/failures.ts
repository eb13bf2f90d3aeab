import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { StoreError } from '../store/index.js';

/** The parts of a command or interaction body that say who to tell about a failure, and where. */
type Where = { user: string; channel: string | undefined; threadTs: string | undefined };

const Reachable: z.ZodType<Where> = z.union([
  z
    .object({ user_id: z.string(), channel_id: z.string() })
    .transform((b): Where => ({ user: b.user_id, channel: b.channel_id, threadTs: undefined })),
  z
    .object({
      user: z.object({ id: z.string() }),
      channel: z.object({ id: z.string() }).optional(),
      container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional() }).optional(),
    })
    .transform(
      (b): Where => ({
        user: b.user.id,
        channel: b.channel?.id ?? b.container?.channel_id,
        threadTs: b.container?.thread_ts,
      }),
    ),
]) as z.ZodType<Where>;

/** What a person is told when their request could not be completed; undefined for failures not worth a note. */
export function failureText(error: unknown): string | undefined {
  const cause = (error as { original?: unknown }).original ?? error;
  if (cause instanceof StoreError) {
    if (cause.code === 'corrupt' || cause.code === 'vanished') {
      return 'I could not read this workspace’s saved data, so nothing was changed. An admin can run `mesh-help store check`.';
    }
    if (cause.code === 'locked')
      return 'I am busy with this workspace’s data right now, so nothing was changed. Please try again in a minute.';
    return 'I could not save that (the bot’s storage is failing), so nothing was changed. Please try again later; the admin has the details in the log.';
  }
  return 'Something went wrong on my side and that step did not finish. Please try again.';
}

/** Tells the person behind a failed request, privately, that it failed; never throws. */
export async function tellFailure(client: WebClient, body: unknown, error: unknown): Promise<void> {
  const where = Reachable.safeParse(body);
  const text = failureText(error);
  if (!where.success || !where.data.channel || !text) return;
  try {
    await client.chat.postEphemeral({
      channel: where.data.channel,
      user: where.data.user,
      text,
      ...(where.data.threadTs ? { thread_ts: where.data.threadTs } : {}),
    });
  } catch {
    // Slack itself is failing: the log already has the error.
  }
}

/**
 * A Slack error code (from slackError) in words a person can act on; the code
 * itself stays in the log. Never shows internal codes such as `slack_webapi_request_error`.
 */
export function plainSlackProblem(code: string): string {
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
      return 'I am not in this channel (invite me with `/invite @mesh-help`)';
    case 'is_archived':
      return 'this channel is archived';
    case 'ratelimited':
    case 'slack_webapi_rate_limited_error':
      return 'Slack asked me to slow down';
    case 'slack_webapi_request_error':
    case 'slack_webapi_http_error':
    case 'internal_error':
    case 'fatal_error':
    case 'service_unavailable':
    case 'request_timeout':
      return 'Slack could not be reached just now';
    case 'restricted_action':
    case 'not_allowed_token_type':
    case 'missing_scope':
      return 'this workspace does not allow me to do that here';
    default:
      return 'Slack refused the request';
  }
}

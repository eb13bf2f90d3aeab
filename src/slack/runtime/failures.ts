import { ErrorCode, type WebAPICallError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import { userTextOf } from '../../errors.js';
import { escapeText } from '../escape.js';

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

/** What a person is told, as Slack mrkdwn, when their request could not be completed (USER_TEXT in src/errors.ts). */
export function failureText(error: unknown): string {
  // Bolt wraps a listener's error; the coded one is its `original`.
  const { text, own } = userTextOf((error as { original?: unknown }).original ?? error);
  return own ? escapeText(text) : text;
}

/** Tells the person behind a failed request, privately, that it failed; never throws. */
export async function tellFailure(client: WebClient, body: unknown, error: unknown): Promise<void> {
  const where = Reachable.safeParse(body);
  const text = failureText(error);
  if (!where.success || !where.data.channel) return;
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

const SLACK_API_CODES: ReadonlySet<unknown> = new Set(Object.values(ErrorCode));

/** An error the Web API client raised, recognised by @slack/web-api's own ErrorCode. */
export function isSlackApiError(err: unknown): err is WebAPICallError {
  return typeof err === 'object' && err !== null && SLACK_API_CODES.has((err as { code?: unknown }).code);
}

/** Slack's error code of a failed call (`not_in_channel`), or the client's own (ErrorCode) when Slack never answered. */
export function slackError(err: unknown): string {
  if (isSlackApiError(err)) return err.code === ErrorCode.PlatformError ? err.data.error : err.code;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : 'unknown_error';
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
    case ErrorCode.RateLimitedError:
      return 'Slack asked me to slow down';
    case ErrorCode.RequestError:
    case ErrorCode.HTTPError:
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

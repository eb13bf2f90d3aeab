import { DEFAULT_ZONE, formatWhen } from '../../domain/time.js';

/**
 * A date and time in a message: Slack shows `<!date>` in each reader's own
 * time zone; the fallback (notifications, clients that cannot) is written in
 * `zone`, the team's for what the whole channel reads.
 */
export function slackWhen(iso: string, zone: string = DEFAULT_ZONE): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${formatWhen(iso, zone)}>`;
}

/** The same moment as plain text in `zone`, for a message's notification text. */
export const plainWhen = (iso: string, zone: string = DEFAULT_ZONE): string => formatWhen(iso, zone);

/** A day in a message: each reader sees it on their own calendar (`<!date>`); the fallback is the UTC date. */
export function slackDay(iso: string): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return Number.isNaN(unix) ? iso.slice(0, 10) : `<!date^${unix}^{date_short}|${iso.slice(0, 10)}>`;
}

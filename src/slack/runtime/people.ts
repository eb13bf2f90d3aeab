import type { WebClient } from '@slack/web-api';
import { isTimeZone } from '../../domain/time.js';

/** How long a person's time zone is trusted before users.info is asked again. */
const ZONE_TTL_MS = 24 * 3_600_000;
/** People remembered at most; the oldest are forgotten first. */
const MAX_PEOPLE = 5_000;
const zones = new Map<string, { zone: string | undefined; at: number }>();

/**
 * A person's time zone (users.info `tz`), remembered for a day. Undefined when
 * Slack has none, names one the runtime does not know, or does not answer
 * within `timeoutMs` (a modal's answer must not wait on it): the caller falls
 * back to the team's zone.
 */
export async function userZone(
  client: WebClient,
  user: string,
  now: number,
  timeoutMs = 1_000,
): Promise<string | undefined> {
  const known = zones.get(user);
  if (known && now - known.at < ZONE_TTL_MS) return known.zone;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const info = await Promise.race([client.users.info({ user }), late]);
    if (info === 'late') return undefined;
    const tz = info.user?.tz;
    const zone = typeof tz === 'string' && isTimeZone(tz) ? tz : undefined;
    zones.delete(user);
    zones.set(user, { zone, at: now });
    if (zones.size > MAX_PEOPLE) zones.delete(zones.keys().next().value ?? '');
    return zone;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

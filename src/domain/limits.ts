import { plainList } from '../team/lookup.js';
import type { Session, TeamConfig } from './model.js';
import type { TeamDoc } from './team.js';

/** Open interviews allowed at once, unless the team set its own (`/mesh-help config limits N M`). */
export const DEFAULT_OPEN_PER_CHANNEL = 1;
export const DEFAULT_OPEN_PER_TEAM = 50;

export const openLimits = (config: TeamConfig): { perChannel: number; perTeam: number } => ({
  perChannel: config.maxOpenPerChannel ?? DEFAULT_OPEN_PER_CHANNEL,
  perTeam: config.maxOpenPerTeam ?? DEFAULT_OPEN_PER_TEAM,
});

/** Days of silence after which an open interview without a deadline is abandoned, unless the team set its own. */
export const DEFAULT_ABANDON_AFTER_DAYS = 30;
export const MAX_ABANDON_AFTER_DAYS = 365;
/** Most approvals a team can require, and most days a recommendation's deadline can be away. */
export const MAX_APPROVALS = 10;
export const MAX_DEADLINE_DAYS = 60;

/** The team's idle limit in days; 0: interviews are never abandoned for silence. */
export const abandonAfterDays = (config: TeamConfig): number => config.abandonAfterDays ?? DEFAULT_ABANDON_AFTER_DAYS;

/** The last time anyone did something in an interview: an answer or approval, a concern, a tick, a reply in its thread. */
export function lastActivity(s: Session): number {
  const times = [
    s.updatedAt,
    ...s.replies.flatMap((r) => [r.at, r.editedAt]),
    ...s.concerns.flatMap((c) => [c.at, c.resolvedAt]),
    ...s.approvals.map((a) => a.at),
    ...Object.values(s.checklistTicks).map((t) => t.at),
  ];
  return Math.max(...times.map((t) => (t ? Date.parse(t) : 0)).filter((t) => Number.isFinite(t)));
}

/** Still being answered or decided: it holds a place in the limits. */
export const isOpen = (s: Session): boolean => s.status === 'open' || s.status === 'complete';

/** An open interview without a deadline that nobody touched for the team's idle limit: due to be abandoned. */
export function isIdle(config: TeamConfig, s: Session, now: Date): boolean {
  const days = abandonAfterDays(config);
  return days > 0 && isOpen(s) && !s.deadline && now.getTime() - lastActivity(s) >= days * 86_400_000;
}

/** Why a new interview cannot start in this channel (the open one to resume, when it is here); undefined when it can. */
export type OpenLimit = { kind: 'channel-full'; open: Session } | { kind: 'team-full'; limit: number };

export function openLimitReached(doc: TeamDoc, channel: string): OpenLimit | undefined {
  const { perChannel, perTeam } = openLimits(doc.config);
  // One pass that keeps nothing but counts: every start makes it over all of the team's sessions.
  let open = 0;
  let here = 0;
  let latest: Session | undefined;
  for (const s of plainList(doc.sessions)) {
    if (!isOpen(s)) continue;
    open += 1;
    if (s.channel !== channel) continue;
    here += 1;
    latest = s;
  }
  if (latest && here >= perChannel) return { kind: 'channel-full', open: latest };
  if (open >= perTeam) return { kind: 'team-full', limit: perTeam };
  return undefined;
}

import type { WebClient } from '@slack/web-api';
import { isIdle } from '../../domain/limits.js';
import { blockers } from '../../domain/machine/step.js';
import { DEFAULT_ZONE, isWorkingDay, localDay } from '../../domain/time.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';

/** The name decisions taken by the deadline are recorded under. */
export const DEADLINE_ACTOR = 'mesh-help';

/** Posts today's reminder at most once, across restarts (claimed first, marked after, the thread read when in doubt). */
async function nudge(deps: SlackDeps, client: WebClient, teamId: string, sessionId: string, day: string) {
  await dispatch(deps, client, teamId, { type: 'nudge-due', sessionId, day });
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
 * while approvals are missing or a concern is open. Interviews without a
 * deadline that nobody touched for the team's idle limit are abandoned.
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
      const idle = doc.sessions.filter((s) => isIdle(doc.config, s, now));
      if (!due.length && !idle.length) continue;
      const client = await clientFor(teamId);
      if (!client) {
        deps.logger.warn(`mesh-help: no install with a bot token for team ${teamId}; its deadlines wait`);
        continue;
      }
      // Silent interviews without a deadline give their channel's place back.
      for (const s of idle) await dispatch(deps, client, teamId, { type: 'abandon-idle', sessionId: s.id });
      for (const s of due) {
        if (!s.deadline) continue;
        if (now.toISOString() >= s.deadline) {
          await settle(deps, client, teamId, s.id);
          continue;
        }
        // The thread is the whole channel's: days and weekends are the team's (`config timezone`, else UTC).
        const zone = doc.config.timezone ?? DEFAULT_ZONE;
        const { missing, concerns } = blockers(doc, s);
        const today = localDay(now, zone);
        const madeOn = s.deadlineSetAt ? localDay(new Date(s.deadlineSetAt), zone) : '';
        if ((missing || concerns) && isWorkingDay(now, zone) && today > madeOn && s.nudgedOn !== today)
          await nudge(deps, client, teamId, s.id, today);
      }
    } catch (err) {
      deps.logger.warn(`mesh-help: deadlines of team ${teamId} skipped: ${(err as Error).message}`);
    }
  }
}

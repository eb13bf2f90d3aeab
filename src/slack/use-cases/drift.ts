import { driftCheckWanted } from '../../domain/drift.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { type ClientFor, REMINDER_CLAIM_LEASE_MS } from './reminders.js';

/**
 * One drift check: every team's accepted records against today's catalogue
 * and engine. Each record's notice is claimed in the store (as the revisit
 * reminder is), so replicas checking at once post it once; once posted, its
 * changes are marked notified and no later check posts them again.
 */
export async function driftCheck(
  deps: SlackDeps,
  clientFor: ClientFor,
  owner: string,
  /** Only records whose notice was claimed and not marked posted (a failed post, a bot that stopped): retried each round. */
  onlyUnfinished = false,
): Promise<void> {
  for (const teamId of await deps.store.teams()) {
    // One team's unreadable file is that team's problem: the teams after it are still checked.
    try {
      const due = (await deps.store.read(teamId)).decisions.filter(
        (d) => (!onlyUnfinished || d.driftClaimedAt !== undefined) && driftCheckWanted(deps.flow, d),
      );
      if (!due.length) continue;
      const client = await clientFor(teamId);
      if (!client) {
        deps.logger.warn(`mesh-help: no install with a bot token for team ${teamId}; its drift check waits`);
        continue;
      }
      for (const d of due) {
        await dispatch(deps, client, teamId, {
          type: 'drift-due',
          number: d.number,
          owner,
          leaseMs: REMINDER_CLAIM_LEASE_MS,
        });
      }
    } catch (err) {
      deps.logger.warn(`mesh-help: drift check of team ${teamId} skipped: ${(err as Error).message}`);
    }
  }
}

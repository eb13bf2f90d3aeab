import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { dueReminders } from '../../team/discussion.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { deadlinesDue } from './deadlines.js';
import { driftCheck } from './drift.js';

/** How often due reminders are looked for (besides once at start). */
export const REMINDER_INTERVAL_MS = 60_000;

/**
 * How long another bot's claim on a reminder is left alone: far longer than a
 * post takes with its retries, so two replicas never post one reminder, while a
 * replica that died holding a claim delays the reminder by this much at most.
 */
export const REMINDER_CLAIM_LEASE_MS = 10 * 60_000;

/**
 * Posts one decision's reminder at most once: the state machine claims it for
 * this bot (`owner`) unless another running bot holds the claim within the
 * lease, and the effect runner posts it (reading the thread first after an
 * unmarked claim) and marks it posted.
 */
export async function remind(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  number: number,
  owner: string,
): Promise<void> {
  await dispatch(deps, client, teamId, { type: 'reminder-due', number, owner, leaseMs: REMINDER_CLAIM_LEASE_MS });
}

/** One round: every team's accepted decisions whose revisit date has come and whose reminder is not posted. */
export async function remindDue(deps: SlackDeps, clientFor: ClientFor, owner: string): Promise<void> {
  const today = deps.now().toISOString().slice(0, 10);
  for (const teamId of await deps.store.teams()) {
    // One team's unreadable file is that team's problem: the teams after it still get their reminders.
    try {
      const due = dueReminders(await deps.store.read(teamId), today).filter((d) => d.channel && d.threadTs);
      if (!due.length) continue;
      const client = await clientFor(teamId);
      if (!client) {
        deps.logger.warn(`mesh-help: no install with a bot token for team ${teamId}; its revisit reminders wait`);
        continue;
      }
      for (const d of due) await remind(deps, client, teamId, d.number, owner);
    } catch (err) {
      deps.logger.warn(`mesh-help: revisit reminders of team ${teamId} skipped: ${(err as Error).message}`);
    }
  }
}

/** The Web API client that speaks for a team: the one bot token, or the team's install. */
export type ClientFor = (teamId: string) => Promise<WebClient | undefined>;

/** Runs `remindDue` at start and then every `intervalMs`, one round at a time; `stop` waits for a running round. */
export function startReminders(deps: SlackDeps, clientFor: ClientFor, intervalMs = REMINDER_INTERVAL_MS) {
  let running: Promise<void> | undefined;
  let stopped = false;
  // Names this bot's claims, so a replica sharing the store leaves them alone.
  const owner = randomUUID();
  // The drift check runs with the first round and then with the first round of each new day (UTC).
  let driftCheckedOn: string | undefined;
  const driftRound = async () => {
    const today = deps.now().toISOString().slice(0, 10);
    // Between daily checks, a notice whose post failed is tried again, as a due reminder is.
    if (driftCheckedOn === today) return driftCheck(deps, clientFor, owner, true);
    await driftCheck(deps, clientFor, owner);
    driftCheckedOn = today;
  };
  const round = () => {
    if (running || stopped) return;
    running = remindDue(deps, clientFor, owner)
      .catch((err) => deps.logger.warn(`mesh-help: revisit reminders failed: ${(err as Error).message}`))
      // Deadlines share the round: reminders of recommendations, and accepting or expiring them when due.
      .then(() => deadlinesDue(deps, clientFor))
      .catch((err) => deps.logger.warn(`mesh-help: deadlines failed: ${(err as Error).message}`))
      .then(driftRound)
      .catch((err) => deps.logger.warn(`mesh-help: drift check failed: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    /** True while a round runs. */
    get busy(): boolean {
      return running !== undefined;
    },
    /** Resolves once no round runs (a round started meanwhile is waited for too). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import type { Effect } from '../domain/machine/effects.js';
import { getFlow } from '../engine/load.js';
import { redactingLogger } from '../redacting-logger.js';
import type { SlackDeps } from '../slack/runtime/context.js';
import { runEffects } from '../slack/runtime/effects.js';
import { ExportLane } from '../slack/runtime/export-lane.js';
import { KeyedQueue } from '../slack/runtime/keyed-queue.js';
import { WorkLimiter } from '../slack/runtime/work.js';
import { PgStore, type Store } from '../store/index.js';

export type TerminalEffects = {
  env: NodeJS.ProcessEnv;
  store: Store;
  teamId: string;
  interview: string;
  effects: readonly Effect[];
  now: () => Date;
  say: (text: string) => void;
};

/**
 * A terminal step's effects, run by the bot's own effect runner with the bot's
 * token (SLACK_BOT_TOKEN, SLACK_API_URL), so Slack changes exactly as after a
 * click. A failed call is logged (as a warning) and the rest still run.
 */
export async function runFromTerminal(t: TerminalEffects): Promise<void> {
  const logger = redactingLogger(new ConsoleLogger());
  logger.setLevel(LogLevel.WARN);
  const apiUrl = t.env.SLACK_API_URL?.trim();
  const client = new WebClient(t.env.SLACK_BOT_TOKEN?.trim(), {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    retryConfig: { retries: 2 },
    timeout: 10_000,
    logger,
  });
  const store = t.store;
  const deps: SlackDeps = {
    flow: getFlow(),
    store,
    now: t.now,
    newId: randomUUID,
    logger,
    // With replicas on PostgreSQL, this interview's Slack calls wait for the bot's own.
    effects: new KeyedQueue(store instanceof PgStore ? (key, task) => store.exclusive(key, task) : undefined),
    work: new WorkLimiter(1),
    // The terminal's effects post cards and notices only: no export runs through this lane.
    exports: new ExportLane(1),
    homeTeamId: undefined,
  };
  await runEffects(deps, client, t.teamId, t.interview, t.effects);
  t.say(
    'Slack was told: the record’s cards and the decisions channel show the change (a call that failed is named above).',
  );
}

import { randomUUID } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type Logger, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { ConsoleLogger } from '@slack/logger';
import { type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';
import { match } from 'ts-pattern';
import { type Config, ConfigError, type LogLevelName, loadConfig } from './config.js';
import type { Flow } from './engine/flow.js';
import { getFlow } from './engine/load.js';
import { tellFailure } from './slack/failures.js';
import { registerListeners, type SlackDeps } from './slack/index.js';
import { slackError } from './slack/interview.js';
import { KeyedQueue } from './slack/keyed-queue.js';
import { startReminders } from './slack/reminders.js';
import { WorkLimiter } from './slack/work.js';
import { FileStore, type Store } from './store/index.js';

/** What tests (and other hosts) may replace. */
export type AppDeps = {
  store?: Store;
  flow?: Flow;
  now?: () => Date;
  newId?: () => string;
  logger?: Logger;
  /** Web API retries; tests pass `{ retries: 0 }` so a failing call does not stall them. */
  retryConfig?: RetryOptions;
  /** Web API request timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** How many requests' follow-up work runs at once (default 4). */
  workSlots?: number;
  /** How often due revisit reminders are looked for, besides once at start (default a minute). */
  reminderIntervalMs?: number;
};

/** A built bot: start it, stop it (after in-flight writes), and reach the Bolt app. */
export type MeshApp = {
  app: App;
  config: Config;
  /** Starts listening; `port` is the bound HTTP port (useful with PORT=0). */
  start(): Promise<{ port: number | undefined }>;
  /** Stops the receiver, waits for queued Slack calls and store writes, closes the store. */
  stop(): Promise<void>;
};

/** A few quick retries: an interactive bot should not queue work for half an hour. */
export const PRODUCTION_RETRIES: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
  randomize: true,
};

const levelOf = (name: LogLevelName): LogLevel =>
  match(name)
    .with('debug', () => LogLevel.DEBUG)
    .with('info', () => LogLevel.INFO)
    .with('warn', () => LogLevel.WARN)
    .with('error', () => LogLevel.ERROR)
    .exhaustive();

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/** Builds the Bolt app: checks the token (auth.test), picks the receiver, registers the listeners. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<MeshApp> {
  const logger = deps.logger ?? new ConsoleLogger();
  logger.setLevel(levelOf(config.logLevel));
  logger.setName('mesh-help');
  const flow = deps.flow ?? getFlow();
  const store = deps.store ?? new FileStore(config.dataDir);
  const clientOptions: WebClientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: deps.retryConfig ?? PRODUCTION_RETRIES,
    timeout: deps.timeoutMs ?? 10_000,
    logger,
  };

  // One auth.test up front: a wrong token stops start-up with Slack's reason, and Bolt needs no second call.
  let auth: { team_id?: string; user_id?: string; bot_id?: string };
  try {
    auth = await new WebClient(config.botToken, clientOptions).auth.test();
  } catch (err) {
    const platform = (err as { code?: string }).code === 'slack_webapi_platform_error';
    throw new ConfigError([
      platform
        ? `SLACK_BOT_TOKEN was refused by Slack (${slackError(err)})`
        : `SLACK_API_URL: Slack's Web API at ${config.slackApiUrl ?? 'https://slack.com/api/'} could not be reached to check SLACK_BOT_TOKEN (${slackError(err)})`,
    ]);
  }

  const receiver = match(config.mode)
    .with(
      'http',
      () =>
        new HTTPReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: '/slack/events',
          customRoutes: [healthz],
          logger,
        }),
    )
    .with(
      'socket',
      () =>
        new SocketModeReceiver({
          appToken: config.appToken ?? '',
          customRoutes: [healthz],
          // The socket client calls apps.connections.open through the same Web API settings (SLACK_API_URL).
          installerOptions: { port: config.port, clientOptions },
          logger,
        }),
    )
    .exhaustive();

  const app = new App({
    receiver,
    token: config.botToken,
    ...(auth.bot_id ? { botId: auth.bot_id } : {}),
    ...(auth.user_id ? { botUserId: auth.user_id } : {}),
    tokenVerificationEnabled: false,
    clientOptions,
    logger,
    convoStore: false,
    extendedErrorHandler: true,
  });
  const effects = new KeyedQueue();
  // Listener work continues after the ack; stop() waits for it so no started write is cut off.
  const inFlight = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  // One sink for every listener's failure: the log gets the detail, the person a short private note.
  // Bolt does not export this type by name; it is the last overload of app.error.
  const onError: Parameters<App['error']>[0] = async ({ error, body }) => {
    const cause = (error as { original?: Error }).original ?? error;
    logger.error(`mesh-help: ${(cause as { code?: string }).code ?? error.code ?? 'error'}: ${cause.message}`);
    await tellFailure(app.client, body, error);
  };
  app.error(onError);
  const slackDeps: SlackDeps = {
    flow,
    store,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
    logger,
    effects,
    work: new WorkLimiter(deps.workSlots ?? 4),
    homeTeamId: auth.team_id,
    github: config.github,
  };
  registerListeners(app, slackDeps);
  let reminders: { stop(): Promise<void> } | undefined;

  let started = false;
  return {
    app,
    config,
    async start() {
      if (config.mode === 'socket') {
        await app.start();
        started = true;
        reminders = startReminders(slackDeps, app.client, deps.reminderIntervalMs);
        return { port: undefined };
      }
      const server = (await app.start(config.port)) as Server;
      started = true;
      reminders = startReminders(slackDeps, app.client, deps.reminderIntervalMs);
      return { port: (server.address() as AddressInfo | null)?.port };
    },
    async stop() {
      await reminders?.stop();
      reminders = undefined;
      if (started) {
        started = false;
        await app.stop();
      }
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await effects.idle();
      await store.close();
    },
  };
}

/** `npm start` with Slack credentials: config → app → start; SIGTERM stops it after in-flight writes. */
export async function startApp(env: NodeJS.ProcessEnv): Promise<void> {
  let mesh: MeshApp;
  try {
    mesh = await createApp(loadConfig(env));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { port } = await mesh.start();
  process.stderr.write(
    mesh.config.mode === 'socket'
      ? `mesh-help: connected to Slack in Socket Mode (health check on :${mesh.config.port}/healthz)\n`
      : `mesh-help: listening on :${port} (POST /slack/events, GET /healthz)\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`mesh-help: ${signal}, finishing in-flight work\n`);
    mesh.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`mesh-help: stopping failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

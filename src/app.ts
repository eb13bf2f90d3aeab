import { randomUUID } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { App, type Logger, LogLevel } from '@slack/bolt';
import { ErrorCode, type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';
import { match } from 'ts-pattern';
import { type Config, ConfigError, type LogLevelName, loadConfig, redactUrl } from './config.js';
import type { Flow } from './engine/flow.js';
import { getFlow } from './engine/load.js';
import { exitCodeOf } from './errors.js';
import { processLogger } from './log.js';
import { limitsWithin } from './publish/index.js';
import { redactingLogger } from './redacting-logger.js';
import { registerListeners, type SlackDeps } from './slack/index.js';
import { ExportLane } from './slack/runtime/export-lane.js';
import { isSlackApiError, slackError, tellFailure } from './slack/runtime/failures.js';
import { HotCalls } from './slack/runtime/hot-calls.js';
import { buildReceiver, healthRoutes } from './slack/runtime/http.js';
import { journalIntake, noteStoreFailure, requestTeam } from './slack/runtime/intake.js';
import { KeyedQueue } from './slack/runtime/keyed-queue.js';
import { trackInFlight } from './slack/runtime/middleware.js';
import { rateLanes } from './slack/runtime/rate-lanes.js';
import { refuseForeignTeamIds } from './slack/runtime/request-gate.js';
import { acksEmpty } from './slack/runtime/routes.js';
import { Arrivals, WorkLimiter } from './slack/runtime/work.js';
import { startReminders } from './slack/use-cases/reminders.js';
import { StoreHealth, watchedStore } from './store/health.js';
import { describeDatabase, openStore, PgStore, type Store, StoreError } from './store/index.js';
import { InstallKeyError, TOKEN_KEY_VARIABLE } from './store/installations.js';
import { FileJournal, type Journal } from './store/journal.js';
import { installationsFor } from './store/open.js';
import { PgJournal } from './store/pg-journal.js';

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
  /** How many exports to repositories run at once, apart from the work slots (default 2). */
  exportSlots?: number;
  /** How often due revisit reminders are looked for, besides once at start (default a minute). */
  reminderIntervalMs?: number;
  /** Where requests are recorded before their ack (default `<data dir>/journal/`); false: none (bare Bolt comparisons). */
  journal?: Journal | false;
  /** Requests in progress past which new ones are refused as busy (default 1000). */
  maxBacklog?: number;
  /** How long Bolt waits for a request's ack before answering it as unhandled (default Bolt's 3001 ms; HTTP only). */
  unhandledRequestTimeoutMs?: number;
};

/** A built bot: start it, stop it (after in-flight writes), and reach the Bolt app. */
export type MeshApp = {
  app: App;
  config: Config;
  /** Starts listening; `port` is the bound HTTP port (useful with PORT=0). */
  start(): Promise<{ port: number | undefined }>;
  /** Fails /readyz from its first moment, stops the receiver, waits for queued Slack calls and store writes, closes the store. */
  stop(): Promise<void>;
  /**
   * Resolves once the bot has nothing left to do: every request's work (after its ack too), queued Slack
   * calls, journalled requests and a running reminder/deadline round are done, checked again until quiet,
   * since finishing work can start more. Tests wait on this instead of quiet windows.
   */
  idle(): Promise<void>;
};

/** A few quick retries: an interactive bot should not queue work for half an hour. */
export const PRODUCTION_RETRIES: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
  randomize: true,
};

const _EVENTS_PATH = '/slack/events';

const levelOf = (name: LogLevelName): LogLevel =>
  match(name)
    .with('debug', () => LogLevel.DEBUG)
    .with('info', () => LogLevel.INFO)
    .with('warn', () => LogLevel.WARN)
    .with('error', () => LogLevel.ERROR)
    .exhaustive();

/** The error at the bottom of Bolt's and the OAuth library's wrapping (`original`). */
function rootCause(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e && typeof e === 'object' && 'original' in e && e.original; i++) e = e.original;
  return e;
}

/** What a person is told when their workspace's install cannot be read with the configured key. */
export const UNREADABLE_INSTALL_TEXT = `I can’t act in this workspace right now: its stored install cannot be read with the bot’s ${TOKEN_KEY_VARIABLE}. Please tell whoever runs mesh-help.`;

async function tellUnreadableInstall(body: unknown, logger: Logger): Promise<void> {
  const url = (body as { response_url?: unknown } | undefined)?.response_url;
  if (typeof url !== 'string' || !url.startsWith('http')) return;
  await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: UNREADABLE_INSTALL_TEXT }),
  }).catch((err: Error) =>
    logger.warn(`mesh-help: could not tell a person their install is unreadable: ${err.message}`),
  );
}

/** Builds the Bolt app: checks the token (auth.test), picks the receiver, registers the listeners. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<MeshApp> {
  const logger = redactingLogger(deps.logger ?? processLogger(config.logFormat));
  logger.setLevel(levelOf(config.logLevel));
  logger.setName('mesh-help');
  const flow = deps.flow ?? getFlow();
  const retryConfig = deps.retryConfig ?? PRODUCTION_RETRIES;
  const timeout = deps.timeoutMs ?? 10_000;
  const clientOptions: WebClientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig,
    // 429s are waited out per method (rateLanes), never by pausing every call the client makes. The
    // timeout is rateLanes' alone, one timer per attempt: the client's own would be a second, discarded one.
    fetch: rateLanes({ retries: retryConfig.retries ?? 3, timeoutMs: timeout }),
    rejectRateLimitedCalls: true,
    logger,
  };
  // chat.postMessage and chat.update, on every click and start, skip @slack/web-api (same calls, same errors).
  const hot = new HotCalls({ retryConfig, rateLimitRetries: retryConfig.retries ?? 3, timeoutMs: timeout, logger });

  // One auth.test up front: a wrong token stops start-up with Slack's reason, and Bolt needs no second call.
  // With OAuth installs there is no one token: each request is authorized by its workspace's install.
  let auth: { team_id?: string; user_id?: string; bot_id?: string } = {};
  if (config.botToken) {
    try {
      auth = await new WebClient(config.botToken, clientOptions).auth.test();
    } catch (err) {
      const platform = isSlackApiError(err) && err.code === ErrorCode.PlatformError;
      throw new ConfigError([
        platform
          ? `SLACK_BOT_TOKEN was refused by Slack (${slackError(err)})`
          : `SLACK_API_URL: Slack's Web API at ${redactUrl(config.slackApiUrl ?? 'https://slack.com/api/')} could not be reached to check SLACK_BOT_TOKEN (${slackError(err)})`,
      ]);
    }
  }

  // DATABASE_URL: PostgreSQL, migrated before the first request; otherwise the JSON files in dataDir.
  let store: Store;
  try {
    store = deps.store ?? (await openStore(config));
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    throw new ConfigError([`DATABASE_URL: ${err.message}`]);
  }
  const installs = config.oauth ? installationsFor(store, config.dataDir, config.oauth.tokenKey) : undefined;
  // A wrong key would drop every request silently (no install opens): say so now, naming the variable.
  if (installs) {
    const { stored, unreadable } = await installs.checkKey().catch(async (err: Error) => {
      await store.close().catch(() => undefined);
      throw new ConfigError([`the stored Slack installs cannot be read: ${err.message}`]);
    });
    if (stored > 0 && unreadable.length === stored) {
      await store.close().catch(() => undefined);
      throw new ConfigError([
        `${TOKEN_KEY_VARIABLE} does not open any of the ${stored} stored Slack install record(s): they were sealed with another key. Set the key they were sealed with, or remove them and install the app again.`,
      ]);
    }
    if (unreadable.length) {
      logger.warn(
        `mesh-help: ${TOKEN_KEY_VARIABLE} does not open ${unreadable.length} of ${stored} stored Slack install record(s) (${unreadable.slice(0, 5).join(', ')}): requests from those workspaces cannot be answered`,
      );
    }
  }
  // One signal for /readyz and the ack path: a probe that really writes, run on readiness checks and after failures.
  const health = new StoreHealth(() => store.ping(), {
    onChange: (down) =>
      down === undefined
        ? logger.info('mesh-help: the store answers again; ready')
        : logger.warn(`mesh-help: not ready, the store does not answer: ${down}`),
  });
  // Every failing store call is charged to the request whose work made it (see intake.ts).
  const watched = watchedStore(store, noteStoreFailure);

  let draining = false;
  // Requests received and not yet answered: work after an ack lets them go first (see Arrivals).
  const arrivals = new Arrivals();
  const receiver = buildReceiver(config, {
    logger,
    clientOptions,
    routes: healthRoutes(
      health,
      () => draining,
      () => (installs?.keyProblem ? TOKEN_KEY_VARIABLE : undefined),
    ),
    installs,
    unhandledRequestTimeoutMs: deps.unhandledRequestTimeoutMs,
    arrivals,
  });

  const app = new App({
    receiver,
    ...(config.botToken ? { token: config.botToken } : {}),
    ...(auth.bot_id ? { botId: auth.bot_id } : {}),
    ...(auth.user_id ? { botUserId: auth.user_id } : {}),
    tokenVerificationEnabled: false,
    clientOptions,
    logger,
    // Bolt sets its logger to INFO unless told the level: LOG_LEVEL must hold after start-up too.
    logLevel: levelOf(config.logLevel),
    convoStore: false,
    extendedErrorHandler: true,
  });
  // With replicas on PostgreSQL, one interview's Slack calls run one at a time across all of them.
  const effects = new KeyedQueue(
    store instanceof PgStore
      ? (key, task) =>
          store.exclusive(key, task).catch((err: unknown) => {
            noteStoreFailure(err);
            throw err;
          })
      : undefined,
  );
  // Listener work continues after the ack; stop() waits for it so no started write is cut off.
  const inFlight = new Set<Promise<void>>();
  app.use(trackInFlight(inFlight));
  hot.attach(app.client);
  app.use(async ({ client, next }) => {
    hot.attach(client);
    await next();
  });
  // One sink for every listener's failure: the log gets the detail, the person a short private note.
  // Bolt does not export this type by name; it is the last overload of app.error.
  const onError: Parameters<App['error']>[0] = async ({ error, body, context }) => {
    const cause = (error as { original?: Error }).original ?? error;
    logger.error(`mesh-help: ${(cause as { code?: string }).code ?? error.code ?? 'error'}: ${cause.message}`);
    // The install of this workspace cannot be opened with the key: no token to answer with, but the person
    // can still be told through the request's response_url, and the log has named the variable.
    if (rootCause(error) instanceof InstallKeyError) return tellUnreadableInstall(body, logger);
    // With installs, the request's own token: app.client has none.
    const token = (context as { botToken?: string } | undefined)?.botToken;
    await tellFailure(token ? hot.attach(new WebClient(token, clientOptions)) : app.client, body, error);
  };
  app.error(onError);
  const slackDeps: SlackDeps = {
    flow,
    store: watched,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
    logger,
    effects,
    // Slots are shared out by team in turns: one team's flood of replies cannot keep the others waiting.
    work: new WorkLimiter(deps.workSlots ?? 4, requestTeam, arrivals),
    exports: new ExportLane(deps.exportSlots ?? 2),
    ...(config.exportTimeoutMs ? { exportLimits: limitsWithin(config.exportTimeoutMs) } : {}),
    exportAllow: config.exportAllow,
    homeTeamId: auth.team_id,
    github: config.github,
    ...(installs ? { installs } : {}),
  };
  // Reminders post outside any request: with installs, through the token of the team's install.
  const clientFor = async (teamId: string): Promise<WebClient | undefined> => {
    if (!installs) return app.client;
    const found = await installs.forWorkspace(teamId).catch(() => undefined);
    return found?.bot?.token ? hot.attach(new WebClient(found.bot.token, clientOptions)) : undefined;
  };
  const routes = registerListeners(app, slackDeps);
  // Every request is journalled before its ack and replayed after a crash; see src/slack/runtime/intake.ts.
  // On PostgreSQL the journal lives there too, so another replica finishes what a replica gone for good took in.
  const journal =
    deps.journal !== undefined
      ? deps.journal
      : store instanceof PgStore && config.databaseUrl
        ? new PgJournal(config.databaseUrl, { ...(config.journalLeaseMs ? { leaseMs: config.journalLeaseMs } : {}) })
        : new FileJournal(join(config.dataDir, 'journal'), {
            onSkipped: (line, why) => logger.warn(`mesh-help: skipped line ${line} of the intake journal: ${why}`),
          });
  const intake = journal
    ? journalIntake(app, journal, logger, {
        maxBacklog: deps.maxBacklog,
        health,
        adoptEveryMs: Math.max(500, Math.floor((config.journalLeaseMs ?? 15_000) / 3)),
        acksEmpty: acksEmpty(routes),
        // Twice the work slots: the listeners then wait for a work slot a few at a time, not a whole burst of them.
        processing: new WorkLimiter(2 * slackDeps.work.slots, () => undefined, arrivals),
      })
    : undefined;
  // Outermost: a team id that is not a Slack id is refused before the intake journals the request.
  refuseForeignTeamIds(app, logger);
  let replaying: Promise<unknown> | undefined;
  const replay = () => {
    replayDone = !intake;
    replaying = intake
      ?.replay()
      .catch((err: Error) => logger.error(`mesh-help: could not read the intake journal: ${err.message}`))
      .finally(() => {
        replayDone = true;
      });
  };
  let reminders: ReturnType<typeof startReminders> | undefined;
  let replayDone = true;
  // Anything still to do, looked at in one go: `idle` returns only when a whole look finds nothing.
  const busy = () =>
    !replayDone ||
    inFlight.size > 0 ||
    (intake?.inFlight() ?? 0) > 0 ||
    slackDeps.work.busy ||
    slackDeps.exports.busy ||
    effects.busy ||
    (reminders?.busy ?? false);

  let started = false;
  return {
    app,
    config,
    async start() {
      if (config.mode === 'socket') {
        await app.start();
        started = true;
        replay();
        reminders = startReminders(slackDeps, clientFor, deps.reminderIntervalMs);
        return { port: undefined };
      }
      const server = (await app.start(config.port)) as Server;
      started = true;
      replay();
      reminders = startReminders(slackDeps, clientFor, deps.reminderIntervalMs);
      return { port: (server.address() as AddressInfo | null)?.port };
    },
    async stop() {
      draining = true;
      // A running export is cut short (its person told so): a remote that never answers must not hold the stop.
      const exportsEnded = slackDeps.exports.stop();
      // Requests waiting for the store to come back stay pending in the journal, for the next start.
      intake?.stop();
      health.stop();
      await reminders?.stop();
      reminders = undefined;
      if (started) {
        started = false;
        await app.stop();
      }
      await replaying;
      await exportsEnded;
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      // Each request's done mark is written after its work: the journal closes only once every one is in.
      await intake?.idle();
      await effects.idle();
      if (journal) await journal.close();
      await store.close();
      hot.close();
    },
    async idle() {
      for (;;) {
        // A turn of the event loop first: work acked a moment ago may not have queued its follow-up yet.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!busy()) return;
        await Promise.allSettled([
          replaying,
          intake?.idle(),
          ...inFlight,
          slackDeps.work.idle(),
          slackDeps.exports.idle(),
          effects.idle(),
          reminders?.idle(),
        ]);
      }
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
      process.exit(exitCodeOf(err));
    }
    throw err;
  }
  const { port } = await mesh.start();
  process.stderr.write(
    mesh.config.mode === 'socket'
      ? `mesh-help: connected to Slack in Socket Mode (health checks on :${mesh.config.port}/healthz and /readyz)\n`
      : `mesh-help: listening on :${port} (POST /slack/events, GET /healthz, GET /readyz)\n`,
  );
  // The URL's password never reaches the log: describeDatabase keeps user, host and database only.
  const { databaseUrl, dataDir } = mesh.config;
  process.stderr.write(
    `mesh-help: teams are stored in ${databaseUrl ? `PostgreSQL ${describeDatabase(databaseUrl)}` : dataDir}\n`,
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

import { AsyncLocalStorage } from 'node:async_hooks';
import type { App, Logger, ReceiverEvent } from '@slack/bolt';
import { count } from '../../domain/plural.js';
import type { StoreHealth } from '../../store/health.js';
import { type Journal, type JournalEntry, JournalError, type JournalInput } from '../../store/journal.js';
import { StoreError } from '../../store/store.js';
import { replayingRequest } from './claims.js';
import { teamIdsOf } from './request-gate.js';
import type { WorkLimiter } from './work.js';

/** How many requests may be taken in and not yet done before new ones are turned away (default). */
export const MAX_BACKLOG = 1000;
/** How many journalled requests are processed again at once after a restart. */
const REPLAY_SLOTS = 4;
/** A request whose effects were not stored is tried again after this long, doubling up to the cap. */
export const RETRY_MIN_MS = 500;
export const RETRY_MAX_MS = 30_000;
/**
 * Attempts of a request that keeps failing while the store answers probes (a
 * dropped connection, a lock held too long): past them it is given up, since
 * the store is not what stops it. While the store is down attempts are not spent.
 */
export const RETRIES_WHILE_UP = 5;

/** Store failures that leave a request's effects unsaved for reasons outside the request (not bad input). */
const UNSAVED: ReadonlySet<string> = new Set(['write_failed', 'unavailable', 'locked', 'closed']);

/** The request being processed: its team, and a store failure anywhere in its work (caught or not). */
type Request = { team: string | undefined; failure?: StoreError };
const requests = new AsyncLocalStorage<Request>();

/** The team of the request whose work is running here (for fair shares of the work slots), if any. */
export const requestTeam = (): string | undefined => requests.getStore()?.team;

/** The workspace (or org) a request comes from, as its body names it first. */
function teamOf(body: Body): string | undefined {
  return teamIdsOf(body).find((t): t is string => typeof t === 'string' && t.length > 0);
}

/** The share of the backlog one team may hold, so a flood from one team leaves room for the others. */
export const teamShare = (maxBacklog: number): number => Math.max(1, Math.ceil((maxBacklog * 3) / 4));

/**
 * Charges a store failure to the request whose work saw it, even when a
 * listener caught it (and told the person): the request's entry then stays
 * pending and is tried again, instead of being marked done with its effects lost.
 */
export function noteStoreFailure(err: unknown): void {
  const request = requests.getStore();
  if (request && err instanceof StoreError && UNSAVED.has(err.code)) request.failure ??= err;
}

export const BUSY_TEXT = 'I’m busy right now and did not take that in. Please try again in a minute.';
export const STORAGE_TEXT =
  'I can’t save anything right now (the bot’s storage is failing), so I did not take that in. Please try again later.';

type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The first input block of a submitted modal, where Slack can show an error next to the field. */
function firstInputBlock(body: Body): string | undefined {
  const view = body.view as { blocks?: Array<{ type?: unknown; block_id?: unknown }> } | undefined;
  return str(view?.blocks?.find((b) => b.type === 'input')?.block_id);
}

/** An Events API delivery turned away before its ack: the receiver answers 503, so Slack delivers it again. */
export class RefusedBeforeAck extends Error {
  constructor(readonly reason: string) {
    super(`request refused before its ack: ${reason}`);
    this.name = 'RefusedBeforeAck';
  }
}

/**
 * Turns a request away before its ack, so that the person sees why and
 * Slack does not count it as delivered: a slash command gets a private
 * answer, a click an ephemeral note through its response_url, a modal an
 * error by its first field; an Events API delivery (and anything else) gets
 * a non-200, so Slack delivers it again later.
 */
async function refuse(event: ReceiverEvent, text: string, logger: Logger): Promise<void> {
  const body = event.body as Body;
  if (str(body.command)) {
    await event.ack({ response_type: 'ephemeral', text });
    return;
  }
  if (body.type === 'block_actions' && str(body.response_url)) {
    await event.ack();
    await fetch(str(body.response_url) ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    }).catch((err: Error) => logger.warn(`mesh-help: could not tell a person their click was refused: ${err.message}`));
    return;
  }
  const block = body.type === 'view_submission' ? firstInputBlock(body) : undefined;
  if (block) {
    await event.ack({ response_action: 'errors', errors: { [block]: text } });
    return;
  }
  throw new RefusedBeforeAck(text);
}

/** What the intake offers the app: replay at start-up, and how many requests are in its backlog. */
export type Intake = {
  /** Processes again every request journalled and not done (a crash or SIGKILL came in between). */
  replay(): Promise<number>;
  backlog(): number;
  /** Requests taken in (or being refused) and not yet done, replayed ones included. */
  inFlight(): number;
  /** Resolves once no request is in flight (retries waiting for the store included). */
  idle(): Promise<void>;
  /** Stops retrying: requests waiting for another attempt stay pending in the journal, for the next start. */
  stop(): void;
};

export type IntakeOptions = {
  /** Requests in progress past which new ones are refused as busy (default MAX_BACKLOG). */
  maxBacklog?: number | undefined;
  /** The store's health: while it is down, requests are refused before their ack; retries wait for it. */
  health?: StoreHealth | undefined;
  /** How often a journal shared by replicas is asked for requests a gone replica left (default 5 s). */
  adoptEveryMs?: number | undefined;
  /**
   * Requests whose ack is empty whatever their listener does (see routes.ts): they are acknowledged as soon as
   * they are journalled, before Bolt runs their listener, so the acks of a burst wait for the journal's write
   * alone and not for every listener of the burst as well.
   */
  acksEmpty?: ((body: Body) => boolean) | undefined;
  /**
   * Slots for the processing of such requests after their early ack, shared out by team: it is work after an ack,
   * so it lets the requests in hand be answered first, and a burst waits here, each request holding its body
   * only, rather than inside Bolt's middleware holding all of its arguments (see work.ts).
   */
  processing?: WorkLimiter | undefined;
};

/**
 * Durable intake: every request Bolt receives is written to the journal
 * (fsynced, in groups) before anything can acknowledge it, processed, and
 * marked done once its listeners have finished, including the work they do
 * after the ack, and only when none of its store calls failed: a request
 * whose effects were not stored stays pending and is processed again once
 * the store answers (with back-off) or after a restart. Listeners must be
 * idempotent (answers carry their revision, events their event_id). Past
 * `maxBacklog` requests in progress, while the store is known to be down, or
 * when the journal cannot be written, a request is refused before its ack.
 */
export function journalIntake(app: App, journal: Journal, logger: Logger, options: IntakeOptions = {}): Intake {
  const process = app.processEvent.bind(app);
  const maxBacklog = options.maxBacklog ?? MAX_BACKLOG;
  const { health } = options;
  let backlog = 0;
  const byTeam = new Map<string, number>();
  const hold = (team: string | undefined) => {
    backlog += 1;
    if (team) byTeam.set(team, (byTeam.get(team) ?? 0) + 1);
  };
  const letGo = (team: string | undefined) => {
    backlog -= 1;
    if (!team) return;
    const left = (byTeam.get(team) ?? 1) - 1;
    if (left > 0) byTeam.set(team, left);
    else byTeam.delete(team);
  };
  let stopped = false;
  /** Retries waiting for their time or for the store: cancelled by stop(), their entries stay pending. */
  const waits = new Set<() => void>();
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  };
  // Read now, before the app listens: what is appended from then on is live, not left over.
  const recovered = journal.pending().then(
    (entries) => ({ entries }),
    (error: Error) => ({ error }),
  );

  /** Waits `ms`, then for the store to answer; false when stop() came first. */
  const pause = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        waits.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        waits.delete(cancel);
        if (!health || health.up) return resolve(!stopped);
        waits.add(cancel);
        void health.whenUp().then(() => {
          if (!waits.delete(cancel)) return;
          resolve(!stopped);
        });
      }, ms);
      waits.add(cancel);
    });

  /** Whether a request that saw `failure` should be tried again (attempts counts the tries so far). */
  const worthRetrying = async (failure: StoreError, attempts: number): Promise<boolean> => {
    // The probe decides whether the store is down; a failure on a store that answers is the request's own.
    const down = health ? !(await health.check()) : true;
    if (down) return true;
    return failure.code !== 'write_failed' && attempts < RETRIES_WHILE_UP;
  };

  /**
   * Processes a request; marks it done only when none of its store calls
   * failed. Otherwise it stays pending in the journal and is processed again
   * once the store answers (with back-off), or after a restart.
   */
  const run = async (event: ReceiverEvent, entry: Pick<JournalEntry, 'id' | 'body'>, attempts = 0): Promise<void> => {
    const team = teamOf(entry.body);
    hold(team);
    const request: Request = { team };
    try {
      await requests.run(request, () => process(event));
    } finally {
      letGo(team);
    }
    const failure = request.failure;
    if (failure && !stopped && (await worthRetrying(failure, attempts + 1))) {
      const wait = Math.min(RETRY_MIN_MS * 2 ** attempts, RETRY_MAX_MS);
      logger.warn(
        `mesh-help: a request's effects were not stored (${failure.message}); it stays pending and is tried again in ${wait} ms once the store answers`,
      );
      hold(team);
      const go = await pause(wait).finally(() => letGo(team));
      if (!go) return;
      const done = replayingRequest(entry.body);
      // The ack went out with the first attempt: acknowledging again does nothing.
      const again: ReceiverEvent = { ...event, ack: async () => undefined };
      return run(again, entry, attempts + 1).finally(done);
    }
    if (failure && stopped) return; // pending: processed again after the restart
    if (failure) logger.error(`mesh-help: gave up a request whose effects could not be stored: ${failure.message}`);
    await journal
      .markDone(entry.id)
      .catch((err: Error) => logger.warn(`mesh-help: could not mark a request done: ${err.message}`));
  };

  const take = async (event: ReceiverEvent): Promise<void> => {
    if (backlog >= maxBacklog) {
      logger.warn(`mesh-help: ${backlog} requests in progress; refusing new ones until some finish`);
      return refuse(event, BUSY_TEXT, logger);
    }
    const team = teamOf(event.body as Body);
    if (team && (byTeam.get(team) ?? 0) >= teamShare(maxBacklog)) {
      logger.warn(
        `mesh-help: team ${team} holds its share of the backlog; refusing its new requests until some finish`,
      );
      return refuse(event, BUSY_TEXT, logger);
    }
    // The store is known to be down: taking the request in would acknowledge work that cannot be stored now.
    if (health && !health.up) {
      logger.warn(`mesh-help: refusing a request: the store is not answering (${health.reason})`);
      return refuse(event, STORAGE_TEXT, logger);
    }
    const input: JournalInput = {
      body: event.body as Body,
      ...(event.retryNum !== undefined ? { retryNum: event.retryNum } : {}),
      ...(event.retryReason !== undefined ? { retryReason: event.retryReason } : {}),
    };
    let entry: JournalEntry;
    try {
      entry = await journal.append(input);
    } catch (err) {
      const why = err instanceof JournalError ? err.message : String(err);
      logger.error(`mesh-help: refusing a request: it could not be journalled (${why})`);
      return refuse(event, STORAGE_TEXT, logger);
    }
    if (!options.acksEmpty?.(event.body as Body)) return run(event, entry);
    // Safe in the journal, and its ack carries nothing: acknowledged now, its listener's ack then does nothing.
    await event.ack().catch((err: Error) => logger.warn(`mesh-help: could not acknowledge a request: ${err.message}`));
    // The receiver's part ends here: it lets go of the HTTP request and response (the new ack holds neither) while
    // the request waits for the burst to be answered, and its processing goes on, tracked, as work after an ack.
    const later: ReceiverEvent = { ...event, ack: async () => undefined };
    void track(
      (async () => {
        const release = await options.processing?.acquire(team ?? '');
        try {
          await run(later, entry);
        } finally {
          release?.();
        }
      })().catch((err: Error) => logger.error(`mesh-help: a request failed after its ack: ${err.message}`)),
    );
  };
  /** Processes journalled requests again, a few at a time (their ack went out, or Slack delivers again). */
  const replayEntries = async (entries: JournalEntry[]): Promise<void> => {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < entries.length; i = next++) {
        const e = entries[i];
        if (!e || stopped) continue;
        const ack = async () => undefined;
        const done = replayingRequest(e.body);
        await track(
          run(
            {
              body: e.body,
              ack,
              ...(e.retryNum !== undefined ? { retryNum: e.retryNum } : {}),
              ...(e.retryReason !== undefined ? { retryReason: e.retryReason } : {}),
            },
            e,
          ),
        )
          .catch((err: Error) => logger.warn(`mesh-help: a replayed request failed: ${err.message}`))
          .finally(done);
      }
    };
    await Promise.all(Array.from({ length: REPLAY_SLOTS }, worker));
  };

  /** With a journal shared by replicas: from time to time, finish what a replica gone for good left behind. */
  let adopting: NodeJS.Timeout | undefined;
  let adoptRound: Promise<void> | undefined;
  const startAdopting = () => {
    const adopt = journal.adopt?.bind(journal);
    if (!adopt || adopting || stopped) return;
    adopting = setInterval(() => {
      if (adoptRound || stopped) return;
      adoptRound = adopt()
        .then(async (entries) => {
          if (!entries.length || stopped) return;
          logger.warn(`mesh-help: finishing ${entries.length} request(s) another replica took in and did not finish`);
          await replayEntries(entries);
        })
        .catch((err: Error) =>
          logger.warn(`mesh-help: could not look for requests left by other replicas: ${err.message}`),
        )
        .finally(() => {
          adoptRound = undefined;
        });
    }, options.adoptEveryMs ?? 5000);
    adopting.unref();
  };

  app.processEvent = (event: ReceiverEvent): Promise<void> => track(take(event));

  return {
    backlog: () => backlog,
    inFlight: () => inFlight.size,
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    stop() {
      stopped = true;
      clearInterval(adopting);
      for (const cancel of [...waits]) cancel();
    },
    async replay() {
      const read = await recovered;
      // Even when the first read failed: the next rounds of adoption pick up what it missed.
      startAdopting();
      if ('error' in read) throw read.error;
      const { entries } = read;
      if (!entries.length) return 0;
      // Only an unclean stop (a crash, SIGKILL, power loss) leaves requests behind.
      logger.warn(`mesh-help: processing ${count(entries.length, 'request')} taken in before the last stop`);
      await replayEntries(entries);
      return entries.length;
    },
  };
}

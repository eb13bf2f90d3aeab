import type { App, Logger, ReceiverEvent } from '@slack/bolt';
import { count } from '../../domain/plural.js';
import { type Journal, JournalError, type JournalInput } from '../../store/journal.js';
import { replayingRequest } from './claims.js';

/** How many requests may be taken in and not yet done before new ones are turned away (default). */
export const MAX_BACKLOG = 1000;
/** How many journalled requests are processed again at once after a restart. */
const REPLAY_SLOTS = 4;

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
  throw new Error(`request refused before its ack: ${text}`);
}

/** What the intake offers the app: replay at start-up, and how many requests are in its backlog. */
export type Intake = {
  /** Processes again every request journalled and not done (a crash or SIGKILL came in between). */
  replay(): Promise<number>;
  backlog(): number;
  /** Requests taken in (or being refused) and not yet done, replayed ones included. */
  inFlight(): number;
  /** Resolves once no request is in flight. */
  idle(): Promise<void>;
};

/**
 * Durable intake: every request Bolt receives is written to the journal
 * (fsynced, in groups) before anything can acknowledge it, processed, and
 * marked done once its listeners have finished, including the work they do
 * after the ack. A request is processed again after a restart only when it
 * was not marked done, so listeners must be idempotent (answers carry their
 * revision, events their event_id). Past `maxBacklog` requests in progress,
 * or when the journal cannot be written, a request is refused before its ack.
 */
export function journalIntake(app: App, journal: Journal, logger: Logger, maxBacklog = MAX_BACKLOG): Intake {
  const process = app.processEvent.bind(app);
  let backlog = 0;
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

  const run = async (event: ReceiverEvent, id: string): Promise<void> => {
    backlog += 1;
    try {
      await process(event);
    } finally {
      backlog -= 1;
      await journal
        .markDone(id)
        .catch((err: Error) => logger.warn(`mesh-help: could not mark a request done: ${err.message}`));
    }
  };

  const take = async (event: ReceiverEvent): Promise<void> => {
    if (backlog >= maxBacklog) {
      logger.warn(`mesh-help: ${backlog} requests in progress; refusing new ones until some finish`);
      return refuse(event, BUSY_TEXT, logger);
    }
    const input: JournalInput = {
      body: event.body as Body,
      ...(event.retryNum !== undefined ? { retryNum: event.retryNum } : {}),
      ...(event.retryReason !== undefined ? { retryReason: event.retryReason } : {}),
    };
    let id: string;
    try {
      id = (await journal.append(input)).id;
    } catch (err) {
      const why = err instanceof JournalError ? err.message : String(err);
      logger.error(`mesh-help: refusing a request: it could not be journalled (${why})`);
      return refuse(event, STORAGE_TEXT, logger);
    }
    return run(event, id);
  };
  app.processEvent = (event: ReceiverEvent): Promise<void> => track(take(event));

  return {
    backlog: () => backlog,
    inFlight: () => inFlight.size,
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async replay() {
      const read = await recovered;
      if ('error' in read) throw read.error;
      const { entries } = read;
      if (!entries.length) return 0;
      // Only an unclean stop (a crash, SIGKILL, power loss) leaves requests behind.
      logger.warn(`mesh-help: processing ${count(entries.length, 'request')} taken in before the last stop`);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < entries.length; i = next++) {
          const e = entries[i];
          if (!e) continue;
          // The ack went out (or Slack will deliver again) before the stop: acknowledging again does nothing.
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
              e.id,
            ),
          )
            .catch((err: Error) => logger.warn(`mesh-help: a replayed request failed: ${err.message}`))
            .finally(done);
        }
      };
      await Promise.all(Array.from({ length: REPLAY_SLOTS }, worker));
      return entries.length;
    },
  };
}

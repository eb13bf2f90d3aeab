import { randomUUID } from 'node:crypto';
import { chmod, type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../errors.js';

/** One request taken in before its ack: what is needed to process it again after a crash. */
export type JournalEntry = {
  id: string;
  /** When it was taken in (ISO). */
  at: string;
  /** The request body as the receiver parsed it. */
  body: Record<string, unknown>;
  retryNum?: number | undefined;
  retryReason?: string | undefined;
};

export type JournalInput = Omit<JournalEntry, 'id' | 'at'>;

/** `full`: no space left; `read_only`: the folder refuses writes; `failed`: any other I/O error; `closed`. */
export type JournalErrorCode = 'full' | 'read_only' | 'failed' | 'closed';

/** A request that could not be recorded: the caller must refuse it rather than acknowledge it. */
export class JournalError extends CodedError<'journal'> {
  readonly family = 'journal';
  constructor(
    readonly code: JournalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}

/**
 * Where requests wait between their ack and the end of their processing.
 * Small on purpose so a PostgreSQL table can implement it (insert on append,
 * delete or flag on markDone, select what is not done on pending).
 */
export interface Journal {
  /** Records a request; resolves once it survives a crash (throws JournalError when it cannot). */
  append(input: JournalInput): Promise<JournalEntry>;
  /** The request's effects are done: it is not processed again after a restart. */
  markDone(id: string): Promise<void>;
  /** Requests recorded and not marked done, oldest first: call once at start-up, before any append. */
  pending(): Promise<JournalEntry[]>;
  /**
   * Requests left unfinished by another process that is gone, now this one's to process (oldest first).
   * Only journals shared by replicas have it; the intake calls it from time to time while running.
   */
  adopt?(): Promise<JournalEntry[]>;
  /** Waits for queued writes; later appends fail. */
  close(): Promise<void>;
}

export type FileJournalOptions = {
  /** fsync each group of records before they count as recorded (default true). */
  durable?: boolean;
  /** The file is emptied when nothing is pending and it has grown past this many bytes (default 1 MiB). */
  compactBytes?: number;
  /** Told of each line `pending` skips (1-based line number, and why), for the log. */
  onSkipped?: (line: number, why: string) => void;
  /** How long done marks wait to ride along with the next records' write before they are written alone (default 20 ms). */
  doneDelayMs?: number;
};

/** One line of the file, checked on reading: anything else is skipped, never trusted or fatal. */
const Line = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('in'),
    entry: z.object({
      id: z.string().min(1),
      at: z.string(),
      body: z.record(z.string(), z.unknown()),
      retryNum: z.number().int().optional(),
      retryReason: z.string().optional(),
    }),
  }),
  z.object({ op: z.literal('done'), id: z.string().min(1) }),
]);
type Line = z.infer<typeof Line>;
/** A line waiting for the next write; `sync`: it counts only once fsynced (a record, not a done mark). */
type Waiting = { bytes: Buffer; sync: boolean; resolve: () => void; reject: (err: JournalError) => void };

const DONE_DELAY_MS = 20;

const classify = (err: unknown): JournalError => {
  const code = (err as NodeJS.ErrnoException).code;
  const why = (err as Error).message;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new JournalError('full', `the disk is full: ${why}`);
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new JournalError('read_only', `the data folder refuses writes: ${why}`);
  }
  return new JournalError('failed', `cannot write the intake journal: ${why}`);
};

/**
 * The journal as one append-only file of JSON lines (`<dir>/intake.jsonl`):
 * an `in` line per request, a `done` line when its effects are done. Records
 * queued in the same turn of the event loop, or while a write is in flight,
 * are written and fsynced together (group commit), so a burst costs one fsync
 * per batch, not one per request.
 * Done marks are not fsynced (a lost one only replays an idempotent request)
 * and wait up to `doneDelayMs` for the next records' write to ride along with.
 * A failed write is cut off again, so the file never keeps a record its
 * caller was told failed. When nothing is pending the file is emptied.
 */
export class FileJournal implements Journal {
  readonly file: string;
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;
  private readonly queue: Waiting[] = [];
  private writing: Promise<void> | undefined;
  /** Bytes of whole records in the file. */
  private size = 0;
  /** Records not marked done (appended here, or found at start-up). */
  private readonly open = new Set<string>();
  private closed = false;
  /** A failed write could not be cut off: the next one starts on a new line. */
  private torn = false;
  /**
   * Whether what the file held before this process is known (read by `pending`, or there was nothing):
   * until then it is never emptied, so requests not yet replayed are not compacted away.
   */
  private known = false;
  /** Writes the done marks left waiting when no record came to take them along. */
  private doneTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly options: FileJournalOptions = {},
  ) {
    this.file = join(dir, 'intake.jsonl');
  }

  private fileHandle(): Promise<FileHandle> {
    if (this.handle) return Promise.resolve(this.handle);
    this.opening ??= (async () => {
      try {
        // Requests carry what people wrote: the bot user's alone, an older looser folder or file included.
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        await chmod(this.dir, 0o700);
        const h = await open(this.file, 'a+', 0o600);
        await h.chmod(0o600);
        this.size = (await h.stat()).size;
        if (this.size === 0) this.known = true;
        this.handle = h;
        return h;
      } catch (err) {
        this.opening = undefined;
        throw classify(err);
      }
    })();
    return this.opening;
  }

  async pending(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw classify(err);
      text = '';
    }
    const entries = new Map<string, JournalEntry>();
    const lines = text.split('\n');
    for (const [i, raw] of lines.entries()) {
      if (!raw.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        // The last line cut short by a crash was never acknowledged; anywhere else the file was damaged.
        this.options.onSkipped?.(i + 1, i === lines.length - 1 ? 'cut short (a crash while writing it)' : 'not JSON');
        continue;
      }
      const line = Line.safeParse(json);
      if (!line.success) {
        this.options.onSkipped?.(i + 1, `not a journal record (${line.error.issues[0]?.message ?? 'invalid'})`);
        continue;
      }
      const l: Line = line.data;
      if (l.op === 'in') entries.set(l.entry.id, l.entry);
      else entries.delete(l.id);
    }
    for (const id of entries.keys()) this.open.add(id);
    this.known = true;
    return [...entries.values()];
  }

  async append(input: JournalInput): Promise<JournalEntry> {
    if (this.closed) throw new JournalError('closed', 'the intake journal is closed');
    const entry: JournalEntry = { id: randomUUID(), at: new Date().toISOString(), ...input };
    this.open.add(entry.id);
    try {
      await this.write({ op: 'in', entry }, true);
    } catch (err) {
      this.open.delete(entry.id);
      throw err;
    }
    return entry;
  }

  async markDone(id: string): Promise<void> {
    if (!this.open.has(id)) return;
    this.open.delete(id);
    await this.write({ op: 'done', id }, false);
  }

  /** Queues a line: a record starts a write now; a done mark waits for one (or for `doneDelayMs`). */
  private write(line: Line, sync: boolean): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, sync, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a write when a record (or anything, once closing) waits; done marks alone wait for the timer. */
  private schedule(): void {
    if (this.writing || !this.queue.length) return;
    if (this.closed || this.queue.some((w) => w.sync)) this.flush();
    else this.doneTimer ??= setTimeout(() => this.flush(), this.options.doneDelayMs ?? DONE_DELAY_MS).unref();
  }

  private flush(): void {
    clearTimeout(this.doneTimer);
    this.doneTimer = undefined;
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
      // Lines queued while the last batch was being finished.
      this.schedule();
    });
  }

  /**
   * Writes what is queued, one write (and one fsync if it holds a record) per batch, until no record is left.
   * The first batch is taken at the end of this turn of the event loop: the records of every request read in it
   * go together, instead of the first alone and all the others one write and one fsync later.
   */
  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (
      let first = true;
      this.queue.length && (first || this.closed || this.queue.some((w) => w.sync));
      first = false
    ) {
      const batch = this.queue.splice(0);
      let handle: FileHandle;
      try {
        handle = await this.fileHandle();
      } catch (err) {
        for (const w of batch) w.reject(err as JournalError);
        continue;
      }
      const bytes = Buffer.concat([...(this.torn ? [Buffer.from('\n')] : []), ...batch.map((w) => w.bytes)]);
      const before = this.size;
      try {
        let written = 0;
        while (written < bytes.length) {
          written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        }
        if ((this.options.durable ?? true) && batch.some((w) => w.sync)) await handle.datasync();
        this.size += bytes.length;
        this.torn = false;
      } catch (err) {
        // Cut the failed records off, so a request refused now is not processed after a restart.
        await handle.truncate(before).catch(async () => {
          this.torn = true;
          this.size = await handle.stat().then(
            (s) => s.size,
            () => this.size,
          );
        });
        const failure = classify(err);
        for (const w of batch) w.reject(failure);
        continue;
      }
      if (this.known && this.open.size === 0 && this.size > (this.options.compactBytes ?? 1024 * 1024)) {
        await handle.truncate(0).then(
          () => {
            this.size = 0;
          },
          () => undefined,
        );
      }
      for (const w of batch) w.resolve();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // Done marks still waiting for a record are written now.
    this.schedule();
    while (this.writing) await this.writing;
    // A clean stop with nothing pending leaves an empty journal (unless what it held was never read).
    if (this.known && this.open.size === 0) await this.handle?.truncate(0).catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
    this.opening = undefined;
  }
}

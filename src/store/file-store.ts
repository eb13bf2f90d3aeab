import { statSync } from 'node:fs';
import { chmod, type FileHandle, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomicJsonFile, TEMP_FILE, type Version } from './atomic-json-file.js';
import { adopt, applyBatch, decisionAt, encoded, serialise, sessionAt } from './docs.js';
import { FileLock } from './file-lock.js';
import {
  changesOf,
  encodeLine,
  headerLine,
  LOG_SUFFIX,
  type LogLine,
  parseLog,
  replay,
  snapshotHash,
  touchedChanges,
} from './record-log.js';
import { emptyTeam, migrate, SCHEMA_VERSION, TeamDoc } from './schema.js';
import { assertTeamId, type Scope, type Store, StoreError, type TeamCheck } from './store.js';
import { type Pending, TeamBatches } from './team-batches.js';

export type FileStoreOptions = {
  /** fsync each write before renaming it into place (default true). */
  durable?: boolean;
  /** How long an update waits for another process's lock on a team file (default 10 s). */
  lockTimeoutMs?: number;
  /** From this size of a team file on, a write appends the records it changed to the team's log (default 256 KiB). */
  logFromBytes?: number;
  /** How long a clean stop spends at most compacting logs into their files (default 5 s). */
  compactOnStopMs?: number;
};

/** The team's record log as this process last saw or wrote it. */
type LogState = {
  /** Its header names the file's current version: lines can be appended. */
  current: boolean;
  /** Where the last whole line ends; bytes past it are a torn write, cut before the next append. */
  goodBytes: number;
  /** Its size on disk. */
  size: number;
  /** Its inode: an open handle on it is reused only while the log is that file. */
  ino: string;
};

/**
 * A team's document as last read or written: which version of the file it came from (null: no file), the
 * hash its log names it by, whether the file on disk is of this schema version, and its log.
 */
type Entry = {
  adapter: AtomicJsonFile<TeamDoc>;
  data: TeamDoc;
  version: Version | null;
  /** The file's and the log's fingerprints together: what an outside change alters. */
  fingerprint: string | null;
  hash?: string | undefined;
  current: boolean;
  log?: LogState | undefined;
};

const DEFAULT_LOG_FROM = 256 * 1024;
/** How long a clean stop spends at most compacting logs into their files. */
const COMPACT_ON_STOP_MS = 5000;

const LOCK_SUFFIX = '.lock';
/** The smallest readiness probe, and the room it leaves above the largest team file. */
const PROBE_MIN_BYTES = 4096;
/**
 * A lock is kept for the next batch when one is already queued, for at most this long from when it was
 * taken: a burst pays one lock and one look at the file, and another process still gets its turn.
 */
const KEEP_LOCK_MS = 500;
const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

/**
 * The lowdb store: one JSON file per team under `<dir>/teams/`.
 *
 * Updates to one team run one after another; those that queue up while a
 * write is in flight are applied in order and saved by a single write (group
 * commit), and each resolves only once that write is on disk.
 *
 * Several processes may share the folder (the bot and `mesh-help interview
 * --accept`, or two bots during a deploy): every write holds the team's lock
 * file (`teams/.<team>.json.lock`), and a document is read again whenever its
 * file changed on disk, so no process writes over another's change.
 */
export class FileStore implements Store {
  private readonly cache = new Map<string, Entry>();
  /** Each logged team's log, kept open between appends. */
  private readonly logHandles = new Map<string, { handle: FileHandle; ino: string }>();
  /** Teams whose file this process has seen on disk: a file that disappears later was moved aside. */
  private readonly seen = new Set<string>();
  private readonly batches = new TeamBatches((teamId, batch) => this.drain(teamId, batch));
  /**
   * Teams whose lock this process holds now, and since when (monotonic ms). With `owned`, the cached
   * document was loaded or written under that lock: no other process can have changed the file since.
   */
  private readonly held = new Map<string, { lock: FileLock; since: number; owned: boolean }>();
  private readonly teamsDir: string;
  private closed = false;
  private pings = 0;
  /** The largest team file read or written: a readiness probe must show room for a write that size. */
  private largest = 0;
  private ready: Promise<unknown> | undefined;
  private swept: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.teamsDir = join(dir, 'teams');
  }

  fileOf(teamId: string): string {
    return join(this.teamsDir, `${teamId}.json`);
  }

  logOf(teamId: string): string {
    return `${this.fileOf(teamId)}${LOG_SUFFIX}`;
  }

  private get logFrom(): number {
    return this.options.logFromBytes ?? DEFAULT_LOG_FROM;
  }

  private lockOf(teamId: string): string {
    return join(this.teamsDir, `.${teamId}.json${LOCK_SUFFIX}`);
  }

  /** Creates the teams folder once; a failure is reported as a failed write and tried again next time. */
  private ensureDir(): Promise<unknown> {
    // Team files hold private discussions: the folders are the bot user's alone (an older 0755 one is tightened).
    this.ready ??= mkdir(this.teamsDir, { recursive: true, mode: 0o700 })
      .then(() => chmod(this.teamsDir, 0o700))
      .catch((err: Error) => {
        this.ready = undefined;
        throw new StoreError('write_failed', `cannot create ${this.teamsDir}: ${err.message}`, this.teamsDir);
      });
    return this.ready;
  }

  /** Once, before the first use: what crashed processes left behind is removed. */
  private sweep(): Promise<void> {
    this.swept ??= this.removeLeftovers().then(
      () => undefined,
      () => undefined,
    );
    return this.swept;
  }

  /**
   * Removes lock files of dead processes and temporary files of interrupted
   * writes. A temporary file is removed only while its team's lock is held, so
   * a write in progress in another live process keeps its own.
   */
  async removeLeftovers(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.teamsDir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const n of names.filter((n) => n.endsWith(LOCK_SUFFIX))) {
      if (await FileLock.clearStale(join(this.teamsDir, n))) removed.push(n);
    }
    const temps = new Map<string, string[]>();
    for (const n of names) {
      const m = TEMP_FILE.exec(n);
      if (m?.[1]) temps.set(m[1], [...(temps.get(m[1]) ?? []), n]);
    }
    for (const [target, files] of temps) {
      let lock: FileLock;
      try {
        lock = await FileLock.acquire(join(this.teamsDir, `.${target}${LOCK_SUFFIX}`), 0);
      } catch {
        continue;
      }
      try {
        for (const f of files) {
          await unlink(join(this.teamsDir, f)).then(
            () => removed.push(f),
            () => undefined,
          );
        }
      } finally {
        await lock.release();
      }
    }
    return removed;
  }

  /** Parses and validates a team file's text; a bad file is reported, never replaced. */
  private parse(teamId: string, file: string, text: string, log: (current: boolean) => LogLine[]): TeamDoc {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new StoreError(
        'corrupt',
        `store file ${file} cannot be read: ${(err as Error).message}; fix or move it aside`,
        file,
      );
    }
    let migrated: unknown;
    try {
      migrated = migrate(raw);
    } catch (err) {
      throw new StoreError('corrupt', `store file ${file}: ${(err as Error).message}`, file);
    }
    // The log's lines are of this schema version: they apply after the file's migration.
    const current = (raw as { schemaVersion?: unknown } | null)?.schemaVersion === SCHEMA_VERSION;
    const lines = log(current);
    if (lines.length && typeof migrated === 'object' && migrated !== null && !Array.isArray(migrated)) {
      migrated = replay(migrated as Record<string, unknown>, lines);
    }
    const parsed = TeamDoc.safeParse(migrated);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first?.path.join('.') || '(root)';
      throw new StoreError(
        'corrupt',
        `store file ${file} fails the schema at ${where}: ${first?.message}; fix or move it aside`,
        file,
      );
    }
    if (parsed.data.teamId !== teamId) {
      throw new StoreError('corrupt', `store file ${file} belongs to team "${parsed.data.teamId}"`, file);
    }
    return parsed.data;
  }

  /**
   * The team's document as the file holds it now: the cached one while the
   * file is the version it came from, else read again. A file that went away
   * after this process saw it is refused rather than started afresh.
   */
  private async load(teamId: string, locked = false): Promise<Entry> {
    const file = this.fileOf(teamId);
    const cached = this.cache.get(teamId);
    // Under this process's own lock, what it last loaded or wrote is what the file holds: no stat.
    if (cached && this.held.get(teamId)?.owned) return cached;
    // The stats are synchronous: a stat of a local file is a few microseconds of the event loop, where one
    // through the thread pool costs several times that in CPU, and a read or a write makes two.
    let current: string | null;
    try {
      const s = statSync(file, { bigint: true, throwIfNoEntry: false });
      current = s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}` : null;
      if (s) this.largest = Math.max(this.largest, Number(s.size));
    } catch (err) {
      throw new StoreError('corrupt', `store file ${file} cannot be read: ${(err as Error).message}`, file);
    }
    // A team is one version of its file and one of its log (another process may have appended to it).
    if (current !== null) current = `${current}|${this.logFingerprint(teamId)}`;
    if (cached && cached.fingerprint === current) return cached;
    // A read outside the lock that raced this process's own write: that write is newer than the stat, and
    // taking it for an outside change would read and validate the whole team again. While this process holds
    // the lock it has checked, what the stat saw is its own write under way (a log append not yet cached).
    const mine = this.cache.get(teamId);
    if (!locked && mine && (mine !== cached || this.held.get(teamId)?.owned)) return mine;
    const adapter = cached?.adapter ?? new AtomicJsonFile<TeamDoc>(file, this.options.durable ?? true, serialise);
    let read: Awaited<ReturnType<AtomicJsonFile<TeamDoc>['readVersion']>>;
    try {
      read = await adapter.readVersion();
    } catch (err) {
      this.cache.delete(teamId);
      throw new StoreError(
        'corrupt',
        `store file ${file} cannot be read: ${(err as Error).message}; fix or move it aside`,
        file,
      );
    }
    if (read === null && this.seen.has(teamId)) {
      this.cache.delete(teamId);
      throw new StoreError(
        'vanished',
        `store file ${file} was there and is gone (moved aside?); not recreating it from memory: put it back, or restart to begin that team afresh`,
        file,
      );
    }
    let entry: Entry;
    if (read === null) {
      entry = { adapter, data: adopt(emptyTeam(teamId)), version: null, fingerprint: null, current: true };
    } else {
      const text = read.text;
      const logText = await this.readLog(teamId);
      const large = read.version.size >= this.logFrom;
      const hash = large || logText.text !== null ? snapshotHash(text) : undefined;
      let log: LogState | undefined;
      let isCurrent = false;
      let doc: TeamDoc;
      try {
        doc = this.parse(teamId, file, text, (fileCurrent) => {
          isCurrent = fileCurrent;
          if (logText.text === null || hash === undefined) return [];
          let parsed: ReturnType<typeof parseLog>;
          try {
            parsed = parseLog(logText.text, hash);
          } catch (err) {
            const where = this.logOf(teamId);
            throw new StoreError(
              'corrupt',
              `store log ${where}: ${(err as Error).message}; fix or move it aside (with its team file)`,
              where,
            );
          }
          log = { current: parsed.current, goodBytes: parsed.goodBytes, size: logText.size, ino: logText.ino };
          return parsed.lines;
        });
      } catch (err) {
        // What was in memory is no longer what the file holds: moving the bad file aside starts the team afresh.
        this.cache.delete(teamId);
        this.seen.delete(teamId);
        throw err;
      }
      entry = {
        adapter,
        data: adopt(doc),
        version: read.version,
        fingerprint: `${read.version.fingerprint}|${logText.fingerprint}`,
        hash,
        current: isCurrent,
        log,
      };
      this.seen.add(teamId);
    }
    // Outside the lock, a write of this process that finished meanwhile is newer than what was read.
    const now = this.cache.get(teamId);
    if (!locked && now && now !== cached) return now;
    this.cache.set(teamId, entry);
    return entry;
  }

  /** The log's identity on disk (inode and size), or `none`. */
  private logFingerprint(teamId: string): string {
    try {
      const s = statSync(this.logOf(teamId), { bigint: true, throwIfNoEntry: false });
      return s ? `${s.ino}:${s.size}` : 'none';
    } catch (err) {
      throw new StoreError('corrupt', `store log ${this.logOf(teamId)} cannot be read: ${(err as Error).message}`);
    }
  }

  /** The log's text and identity, read through one handle (null text: no log). */
  private async readLog(
    teamId: string,
  ): Promise<{ text: string | null; size: number; ino: string; fingerprint: string }> {
    let handle: FileHandle;
    try {
      handle = await open(this.logOf(teamId), 'r');
    } catch (err) {
      if (code(err) === 'ENOENT') return { text: null, size: 0, ino: '', fingerprint: 'none' };
      throw new StoreError('corrupt', `store log ${this.logOf(teamId)} cannot be read: ${(err as Error).message}`);
    }
    try {
      const s = await handle.stat({ bigint: true });
      const text = await handle.readFile('utf8');
      return { text, size: Buffer.byteLength(text, 'utf8'), ino: String(s.ino), fingerprint: `${s.ino}:${s.size}` };
    } finally {
      await handle.close();
    }
  }

  /** The team's document as stored; frozen, so a caller cannot change it by accident. */
  async read(teamId: string): Promise<TeamDoc> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    await this.sweep();
    return (await this.load(teamId)).data;
  }

  async update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>, scope?: Scope): Promise<T> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    return this.batches.push(teamId, fn, scope);
  }

  /**
   * One batch of a team's queue: applies it in order under the team's file lock, writes once, then settles
   * each caller. When the next batch is already queued the lock is kept for it (see KEEP_LOCK_MS).
   */
  private async drain(teamId: string, batch: Pending[]): Promise<void> {
    let held = this.held.get(teamId);
    let settle: Array<() => void>;
    let ok = false;
    try {
      if (!held) {
        await this.sweep();
        await this.ensureDir();
        const lock = await FileLock.acquire(this.lockOf(teamId), this.options.lockTimeoutMs);
        held = { lock, since: performance.now(), owned: false };
        this.held.set(teamId, held);
      }
      const entry = await this.load(teamId, true);
      held.owned = true;
      ({ settle, ok } = await this.apply(teamId, batch, entry));
    } catch (err) {
      settle = batch.map((p) => () => p.reject(err));
    }
    const keep =
      ok && held !== undefined && this.batches.queued(teamId) && performance.now() - held.since < KEEP_LOCK_MS;
    if (!keep && held) {
      this.held.delete(teamId);
      // The lock goes before anyone hears back: a caller's next step (or another process) may want it at once.
      await held.lock.release().catch(() => undefined);
    }
    for (const s of settle) s();
  }

  /**
   * Applies a batch to the document and saves the result once; returns how to settle each caller, and
   * whether the file is still what the cache holds (false after a failed write).
   */
  private async apply(
    teamId: string,
    batch: Pending[],
    entry: Entry,
  ): Promise<{ settle: Array<() => void>; ok: boolean }> {
    const base = entry.data;
    const { state, applied, failed, touched } = await applyBatch(teamId, base, batch);
    const done = failed.map((f) => () => f.p.reject(f.err));
    let ok = true;
    if (state !== base) {
      try {
        const changes = () =>
          touched
            ? touchedChanges(base, state, touched, {
                session: (id) => state.sessions[sessionAt(state.sessions, id) ?? -1],
                decision: (n) => state.decisions[decisionAt(state.decisions, n) ?? -1],
              })
            : changesOf(base, state);
        const line = this.appendable(entry) ? changes() : undefined;
        const next = line ? await this.append(teamId, entry, state, line) : await this.rewrite(teamId, entry, state);
        this.cache.set(teamId, next);
        this.seen.add(teamId);
      } catch (err) {
        ok = false;
        const file = this.fileOf(teamId);
        const failure = new StoreError('write_failed', `cannot write ${file}: ${(err as Error).message}`, file);
        for (const a of applied) done.push(() => a.p.reject(failure));
        applied.length = 0;
      }
    }
    return { settle: [...applied.map((a) => () => a.p.resolve(a.value)), ...done], ok };
  }

  /** Whether the next write may append to the log: a large file of this schema version, with room left in its log. */
  private appendable(entry: Entry): boolean {
    if (!entry.version || !entry.hash || !entry.current || entry.version.size < this.logFrom) return false;
    const logged = entry.log?.current ? entry.log.goodBytes : 0;
    return logged < Math.max(entry.version.size, this.logFrom);
  }

  /** Rewrites the team's file whole (and so compacts its log away). */
  private async rewrite(teamId: string, entry: Entry, state: TeamDoc): Promise<Entry> {
    const version = await entry.adapter.writeVersion(state, entry.version?.mtimeMs ?? 0);
    this.largest = Math.max(this.largest, version.size);
    const large = version.size >= this.logFrom;
    const hadLog = entry.log !== undefined || (entry.fingerprint !== null && !entry.fingerprint.endsWith('|none'));
    // The old log names the old file: once the new file is in place it is never replayed, and goes.
    if (hadLog) {
      await this.dropLogHandle(teamId);
      await unlink(this.logOf(teamId)).catch(() => undefined);
    }
    return {
      adapter: entry.adapter,
      data: state,
      version,
      fingerprint: `${version.fingerprint}|none`,
      hash: large ? snapshotHash(serialise(state)) : undefined,
      current: true,
    };
  }

  /** Appends the records a write changed to the team's log (started with its header when there is none yet). */
  private async append(teamId: string, entry: Entry, state: TeamDoc, line: LogLine): Promise<Entry> {
    const fresh = !entry.log?.current;
    const from = fresh ? 0 : (entry.log?.goodBytes ?? 0);
    const parts = encodeLine(line, encoded);
    if (fresh) parts.unshift(Buffer.from(headerLine(entry.hash ?? '')));
    const bytes = parts.reduce((n, b) => n + b.length, 0);
    const { handle, ino } = await this.logHandle(teamId, fresh ? undefined : entry.log?.ino);
    let written = false;
    try {
      // A torn write left past the last whole line is cut before anything follows it.
      if (!fresh && entry.log?.size !== from) await handle.truncate(from);
      const { bytesWritten } = await handle.writev(parts, from);
      if (bytesWritten < bytes)
        await handle.write(Buffer.concat(parts).subarray(bytesWritten), 0, undefined, from + bytesWritten);
      if (this.options.durable ?? true) await handle.datasync();
      written = true;
      const size = from + bytes;
      return {
        ...entry,
        data: state,
        fingerprint: `${entry.version?.fingerprint}|${ino}:${size}`,
        log: { current: true, goodBytes: size, size, ino },
      };
    } finally {
      // A failed append is cut off again, so the log never holds half a line before the next one.
      if (!written) {
        await handle.truncate(from).catch(() => undefined);
        await this.dropLogHandle(teamId);
        this.cache.set(teamId, { ...entry, log: entry.log ? { ...entry.log, size: -1 } : undefined });
      }
    }
  }

  /**
   * The team's log, open for writing: the handle kept from the last append while the log is still the file
   * `ino` names, else opened afresh (`ino` undefined: a new log, emptied).
   */
  private async logHandle(teamId: string, ino: string | undefined): Promise<{ handle: FileHandle; ino: string }> {
    const kept = this.logHandles.get(teamId);
    if (kept && ino !== undefined && kept.ino === ino) return kept;
    await this.dropLogHandle(teamId);
    const handle = await open(this.logOf(teamId), ino === undefined ? 'w' : 'r+', 0o600);
    try {
      const opened = { handle, ino: String((await handle.stat({ bigint: true })).ino) };
      if (ino !== undefined && opened.ino !== ino)
        throw new Error('its log was replaced while this process held the lock');
      this.logHandles.set(teamId, opened);
      return opened;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  private async dropLogHandle(teamId: string): Promise<void> {
    const kept = this.logHandles.get(teamId);
    this.logHandles.delete(teamId);
    await kept?.handle.close().catch(() => undefined);
  }

  async teams(): Promise<string[]> {
    await this.sweep();
    let names: string[];
    try {
      names = await readdir(this.teamsDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }

  async check(): Promise<TeamCheck[]> {
    const out: TeamCheck[] = [];
    for (const teamId of await this.teams()) {
      const file = this.fileOf(teamId);
      try {
        await this.load(teamId);
        out.push({ teamId, file, ok: true });
      } catch (err) {
        out.push({ teamId, file, ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  /** The teams folder exists, lists and takes a new file: what every read and write needs. */
  async ping(): Promise<void> {
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    await this.ensureDir();
    try {
      await readdir(this.teamsDir);
    } catch (err) {
      throw new StoreError('corrupt', `cannot read ${this.teamsDir}: ${(err as Error).message}`, this.teamsDir);
    }
    // A dot-file, so teams() never lists it; a name of its own, so concurrent pings do not collide.
    const probe = join(this.teamsDir, `.ping-${process.pid}-${++this.pings}`);
    // Real bytes, flushed: an empty file fits on a full disk where no team's next write would.
    const bytes = Buffer.alloc(Math.max(PROBE_MIN_BYTES, this.largest) + PROBE_MIN_BYTES, 0x20);
    try {
      const handle = await open(probe, 'w', 0o600);
      try {
        await handle.writeFile(bytes);
        if (this.options.durable ?? true) await handle.datasync();
      } finally {
        await handle.close();
      }
      await unlink(probe);
    } catch (err) {
      await unlink(probe).catch(() => undefined);
      throw new StoreError('write_failed', `cannot write in ${this.teamsDir}: ${(err as Error).message}`, probe);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.batches.idle();
    await this.compactLogs();
    for (const teamId of [...this.logHandles.keys()]) await this.dropLogHandle(teamId);
  }

  /**
   * On a clean stop, every team whose log holds records is written whole, so
   * the file alone is complete again: a copy of `teams/` taken while the bot
   * is stopped, or another mesh-help reading the folder, misses nothing. A
   * team this fails for keeps its log, which the next start replays.
   */
  private async compactLogs(): Promise<void> {
    // Bounded, so a stop stays within its grace period however many large teams there are: what is left keeps
    // its log, which is as safe, only not compact.
    const until = performance.now() + (this.options.compactOnStopMs ?? COMPACT_ON_STOP_MS);
    for (const [teamId, entry] of [...this.cache]) {
      if (!entry.log?.current) continue;
      const left = until - performance.now();
      if (left <= 0) return;
      let lock: FileLock | undefined;
      try {
        lock = await FileLock.acquire(this.lockOf(teamId), Math.min(left, this.options.lockTimeoutMs ?? left));
        this.held.delete(teamId);
        const now = await this.load(teamId, true);
        if (now.log?.current) this.cache.set(teamId, await this.rewrite(teamId, now, now.data));
      } catch {
        // Kept as it is: the file and its log are still what the next start reads.
      } finally {
        await lock?.release().catch(() => undefined);
      }
    }
  }
}

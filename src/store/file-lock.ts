import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StoreError } from './store.js';

/** Runs a clean-up whose failure changes nothing (the file is already gone, or was never written). */
function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // nothing to undo
  }
}

/** Who holds a lock: enough to tell a live holder from one that died without releasing it. */
export type LockOwner = {
  pid: number;
  /** The process's start time as the kernel counts it (Linux), so a reused pid is not mistaken for the holder. */
  start?: string | undefined;
  host: string;
  /** Unique per acquisition: release removes only its own lock. */
  token: string;
  at: string;
};

/** A lock file whose content cannot be read (its creator died between creating and writing it) is stale after this. */
const UNWRITTEN_STALE_MS = 5_000;
/**
 * A lock from another host (a shared volume) cannot be checked by pid: it is
 * taken over once older than this, far longer than any write holds one.
 */
const FOREIGN_STALE_MS = 60_000;
/** How long an update waits for another process's lock before giving up. */
export const LOCK_TIMEOUT_MS = 10_000;
/**
 * Within this long of taking a lock nobody can have taken it over: a live holder on this host is never
 * stale, and the content was written before `acquire` returned. Releasing sooner needs no look at the file.
 */
const SURELY_OURS_MS = Math.min(UNWRITTEN_STALE_MS, FOREIGN_STALE_MS);

/** Fields 3 onwards of /proc/<pid>/stat, undefined where /proc (or the process) is not there. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), undefined where /proc is not there. */
export function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

const ME = { pid: process.pid, start: processStart(process.pid), host: hostname() };

/** Whether the process that wrote `owner` is still running (true when that cannot be known: another host). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== ME.host) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(owner.pid);
  // A killed process whose parent has not reaped it yet (no init in a container) is a zombie: dead.
  if (stat?.[0] === 'Z' || stat?.[0] === 'X') return false;
  if (owner.start === undefined) return true;
  const start = stat?.[19];
  return start === undefined || start === owner.start;
}

const parseOwner = (text: string): LockOwner | undefined => {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.token === 'string' && typeof o.host === 'string'
      ? (o as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** Whether the lock file at `path` (with this content) was left by a dead process. */
async function isStale(path: string, text: string): Promise<boolean> {
  const owner = parseOwner(text);
  if (owner?.host !== undefined && owner.host !== ME.host) return Date.now() - Date.parse(owner.at) > FOREIGN_STALE_MS;
  if (owner) return !ownerAlive(owner);
  try {
    return Date.now() - (await stat(path)).mtimeMs > UNWRITTEN_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes a stale lock. Two processes may find the same stale lock at once:
 * a second lock file (`.break`, created exclusively) lets one of them check
 * and remove it, so neither removes a lock the other has just taken.
 */
async function breakStale(path: string, seen: string): Promise<void> {
  const guard = `${path}.break`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(guard, 'wx', 0o600);
  } catch (err) {
    if (code(err) !== 'EEXIST') throw err;
    // A breaker that died mid-break leaves its guard; it only ever lives for a few system calls.
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > UNWRITTEN_STALE_MS) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    await handle.close();
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === seen) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * An exclusive lock between processes on one machine, held as a file created
 * with O_EXCL that names its holder (pid, process start time, host). A lock
 * whose holder died (SIGKILL, power loss) is taken over; a live holder is
 * waited for up to `timeoutMs`.
 */
export class FileLock {
  /** When this acquisition was made (monotonic ms). */
  private readonly since = performance.now();

  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {}

  static async acquire(path: string, timeoutMs = LOCK_TIMEOUT_MS): Promise<FileLock> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const token = randomBytes(8).toString('hex');
      const owner: LockOwner = { ...ME, token, at: new Date().toISOString() };
      // Taken with synchronous calls: a lock file is a few bytes on a local disk, a few microseconds of the
      // event loop, where the same calls through the thread pool cost about four times the CPU (every write).
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeFileSync(fd, JSON.stringify(owner));
        } catch (err) {
          // A full disk may take the name but not the content: leave no lock that nobody holds.
          quietly(() => closeSync(fd));
          quietly(() => unlinkSync(path));
          throw err;
        }
        closeSync(fd);
        return new FileLock(path, token);
      } catch (err) {
        if (code(err) !== 'EEXIST') {
          throw new StoreError('write_failed', `cannot lock ${path}: ${(err as Error).message}`, path);
        }
      }
      const text = await readFile(path, 'utf8').catch((err) => (code(err) === 'ENOENT' ? undefined : ''));
      if (text === undefined) continue;
      if (await isStale(path, text)) {
        await breakStale(path, text);
        continue;
      }
      if (Date.now() > deadline) {
        const holder = parseOwner(text);
        throw new StoreError(
          'locked',
          `${path} is held by ${holder ? `process ${holder.pid} on ${holder.host} since ${holder.at}` : 'another process'}; try again, or remove the lock file if that process is gone`,
          path,
        );
      }
      await sleep(Math.min(1 + attempt * 2, 25));
    }
  }

  /** Removes the lock file if it is still this acquisition's. */
  async release(): Promise<void> {
    // Held briefly (every store write): still ours for sure, so one unlink and no read of the file.
    if (performance.now() - this.since < SURELY_OURS_MS) {
      quietly(() => unlinkSync(this.path));
      return;
    }
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    if (text !== undefined && parseOwner(text)?.token === this.token) await unlink(this.path).catch(() => undefined);
  }

  /** Removes a lock file left by a dead process; true when it did. */
  static async clearStale(path: string): Promise<boolean> {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined || !(await isStale(path, text))) return false;
    await breakStale(path, text);
    return true;
  }
}

import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that never leaves a half-written file: it writes a temporary
 * file beside the target, flushes it and renames it over the target; on failure
 * the temporary file is removed and the previous file stays as it was.
 */
/** Writes every buffer in order with as few system calls as the OS allows, however many there are. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const MAX = 1024; // IOV_MAX on Linux
  for (let i = 0; i < buffers.length; i += MAX) {
    const chunk = buffers.slice(i, i + MAX);
    const expected = chunk.reduce((n, b) => n + b.length, 0);
    const { bytesWritten } = await handle.writev(chunk);
    if (bytesWritten !== expected) await handle.writeFile(Buffer.concat(chunk).subarray(bytesWritten));
  }
}

/**
 * What identifies one version of a file on disk: inode, size and modification
 * time. Writers set each version's mtime past the previous one's, so a
 * version is never mistaken for an earlier one even when an inode is reused.
 */
export type Version = { fingerprint: string; mtimeMs: number; size: number };
export const versionOf = (s: BigIntStats): Version => ({
  fingerprint: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`,
  mtimeMs: Number(s.mtimeNs / 1_000_000n),
  size: Number(s.size),
});

/** A temporary file of `AtomicJsonFile` (named `.<file>.<random>.tmp` beside its target). */
export const TEMP_FILE = /^\.(.+)\.[0-9a-f]{8}\.tmp$/;

export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly durable = true,
    /** The file's content; pretty-printed JSON unless the store encodes it itself. */
    private readonly serialise: (data: T) => string | Buffer[] = (data) => `${JSON.stringify(data, null, 2)}\n`,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  /**
   * Reads the file with the fingerprint of exactly the version read (null when
   * there is no file); a file renamed over it meanwhile does not mix in.
   */
  async readVersion(): Promise<{ text: string; version: Version } | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const version = versionOf(await handle.stat({ bigint: true }));
      return { text: await handle.readFile('utf8'), version };
    } finally {
      await handle.close();
    }
  }

  /**
   * Writes a new version; `after` is the mtime (ms) of the version it replaces,
   * and the new one gets a later one. `writeVersion` resolves with the new version.
   */
  async write(data: T, after = 0): Promise<void> {
    await this.writeVersion(data, after);
  }

  async writeVersion(data: T, after = 0): Promise<Version> {
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${randomBytes(4).toString('hex')}.tmp`);
    let version: Version;
    try {
      // Only the bot's own user may read what teams said (private discussions among them).
      const handle = await open(tmp, 'w', 0o600);
      try {
        const content = this.serialise(data);
        if (typeof content === 'string') await handle.writeFile(content, 'utf8');
        else await writeAll(handle, content);
        version = versionOf(await handle.stat({ bigint: true }));
        // The clock's own mtime is usually past the version replaced; set one only when it is not.
        if (version.mtimeMs <= Math.floor(after)) {
          const mtime = (Math.floor(after) + 1) / 1000;
          await handle.utimes(mtime, mtime);
          version = versionOf(await handle.stat({ bigint: true }));
        }
        if (this.durable) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
      return version;
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

import { randomBytes } from 'node:crypto';
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

  async write(data: T): Promise<void> {
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, 'w');
      try {
        const content = this.serialise(data);
        if (typeof content === 'string') await handle.writeFile(content, 'utf8');
        else await writeAll(handle, content);
        if (this.durable) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

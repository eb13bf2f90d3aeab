import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that never leaves a half-written file: it writes a temporary
 * file beside the target, flushes it and renames it over the target; on failure
 * the temporary file is removed and the previous file stays as it was.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly durable = true,
    /** The file's text, whole or in pieces; pieces are written in batches of about 64 KB. */
    private readonly serialise: (data: T) => string | Iterable<string> = (data) => `${JSON.stringify(data, null, 2)}\n`,
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
        const text = this.serialise(data);
        if (typeof text === 'string') await handle.writeFile(text, 'utf8');
        else {
          let batch = '';
          for (const piece of text) {
            batch += piece;
            if (batch.length >= 65_536) {
              await handle.write(batch, null, 'utf8');
              batch = '';
            }
          }
          if (batch) await handle.write(batch, null, 'utf8');
        }
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

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Decision } from '../domain/model.js';
import type { Flow } from '../engine/flow.js';
import { renderIndex } from './log.js';
import { type AdrFile, type AdrFormat, renderAdr } from './markdown.js';

/** Name of the index file written beside the records. */
export const INDEX_FILE = 'README.md';

/** Every record of a team plus the README.md index, in a stable order (index first, then by number). */
export function exportFiles(
  flow: Flow,
  teamId: string,
  decisions: readonly Decision[],
  format: AdrFormat = 'madr4',
): AdrFile[] {
  const sorted = [...decisions].sort((a, b) => a.number - b.number);
  return [
    { fileName: INDEX_FILE, content: renderIndex(teamId, sorted) },
    ...sorted.map((d) => renderAdr(d, { flow, decisions: sorted, format })),
  ];
}

const RECORD = /^(\d{4,})-.+\.md$/;
const WRITE_BATCH = 64;

/**
 * Writes the files into `dir` (created when missing), each through a temporary
 * file and a rename so a reader never sees half a record; files already
 * holding the same bytes are not rewritten. A record file with
 * the same number but an old name (its title changed) is removed; other files
 * in the folder are left alone.
 */
export async function writeExport(dir: string, files: readonly AdrFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const names = new Set(files.map((f) => f.fileName));
  const numbers = new Set(files.map((f) => RECORD.exec(f.fileName)?.[1]).filter((n) => n !== undefined));
  const suffix = randomBytes(4).toString('hex');
  const writeOne = async (file: AdrFile) => {
    const target = join(dir, file.fileName);
    // An unchanged file is left as it is: faster re-exports, and its mtime still says when it last changed.
    if ((await readFile(target, 'utf8').catch(() => undefined)) === file.content) return;
    const tmp = join(dir, `.${file.fileName}.${suffix}.tmp`);
    try {
      await writeFile(tmp, file.content, 'utf8');
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  };
  // Batches keep hundreds of records fast without running out of file descriptors.
  for (let i = 0; i < files.length; i += WRITE_BATCH) await Promise.all(files.slice(i, i + WRITE_BATCH).map(writeOne));
  for (const existing of await readdir(dir)) {
    const number = RECORD.exec(existing)?.[1];
    if (number && numbers.has(number) && !names.has(existing)) await unlink(join(dir, existing));
  }
}

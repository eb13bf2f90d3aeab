import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AnswersSchema } from '../engine/flow.js';

/**
 * An unfinished terminal interview, kept beside the store after each answer
 * so that `mesh-help interview` can resume it. One per team; removed once
 * the record is saved.
 */
export const Progress = z.object({
  version: z.literal(1),
  team: z.string(),
  answers: AnswersSchema,
  /** Questions in the order they were answered, for `b` (back). */
  asked: z.array(z.string()),
  savedAt: z.string(),
});
export type Progress = z.infer<typeof Progress>;

export const progressFile = (dataDir: string, team: string): string =>
  join(dataDir, 'terminal', `${team}.interview.json`);

/** The team's unfinished interview; undefined when there is none; a file that is not one is an error with the reason. */
export function readProgress(
  dataDir: string,
  team: string,
): { ok: true; value: Progress | undefined } | { ok: false; error: string } {
  const file = progressFile(dataDir, team);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined };
    return {
      ok: false,
      error: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: `${file} is not valid JSON` };
  }
  const parsed = Progress.safeParse(raw);
  if (!parsed.success || parsed.data.team !== team) {
    return { ok: false, error: `${file} is not a saved interview of team ${team}` };
  }
  return { ok: true, value: parsed.data };
}

/** Saves the answers so far (written whole, then renamed, so a cut-off write leaves the previous save). */
export function saveProgress(dataDir: string, progress: Progress): void {
  const file = progressFile(dataDir, progress.team);
  mkdirSync(join(dataDir, 'terminal'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(tmp, file);
}

export function clearProgress(dataDir: string, team: string): void {
  rmSync(progressFile(dataDir, team), { force: true });
}

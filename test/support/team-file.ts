import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog, replay, snapshotHash } from '../../src/store/record-log.js';

/**
 * What a team's stored data says, read straight from the data folder the way
 * the JSON store reads it: the team's file and, for a large team, the records
 * its log appended since (src/store/record-log.ts). Undefined without a file.
 */
export function readTeamFile(dataDir: string, team: string): Record<string, unknown> | undefined {
  const text = teamFileText(dataDir, team);
  if (text === undefined) return undefined;
  const raw = JSON.parse(text.file) as Record<string, unknown>;
  if (text.log === undefined) return raw;
  return replay(raw, parseLog(text.log, snapshotHash(text.file)).lines);
}

/** The bytes of a team's file and its log, for "nothing changed" checks. */
export function teamFileText(dataDir: string, team: string): { file: string; log?: string } | undefined {
  const file = join(dataDir, 'teams', `${team}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return { file: text, log: readFileSync(`${file}.log`, 'utf8') };
  } catch {
    return { file: text };
  }
}

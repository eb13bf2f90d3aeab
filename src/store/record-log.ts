import { createHash } from 'node:crypto';
import type { Decision, Session, TeamDoc } from './schema.js';

/**
 * A large team's changes as records, beside its file.
 *
 * Rewriting a team of 10,000 interviews for one click costs the whole file.
 * Once a team file is large, a write appends only the sessions and records it
 * changed (and the team's own fields that changed) as one line of
 * `<team>.json.log`; the file is rewritten whole (compacted) when the log has
 * grown as large as the file. Every line holds whole records and absolute
 * values, so replaying a line twice changes nothing: a crash between the
 * compaction's rename and the log's removal loses nothing and adds nothing.
 *
 * The log's first line names the file it extends by a hash of its bytes: a log
 * left beside another version of the file (moved aside, restored from a
 * backup) is never replayed onto it. A last line without its newline is a
 * write that never finished (and was never acknowledged): it is dropped.
 */

export const LOG_SUFFIX = '.log';
export const LOG_VERSION = 1;

/** What one write changed: whole records (by key) and the team's top-level fields it changed. */
export type LogLine = {
  head?: Record<string, unknown>;
  sessions?: Session[];
  decisions?: Decision[];
};

/** The hash a log's header names its file by. */
export function snapshotHash(content: string | Buffer | readonly Buffer[]): string {
  const h = createHash('sha256');
  if (typeof content === 'string' || Buffer.isBuffer(content)) h.update(content);
  else for (const b of content) h.update(b);
  return `sha256:${h.digest('hex')}`;
}

export const headerLine = (hash: string): string => `${JSON.stringify({ log: LOG_VERSION, snapshot: hash })}\n`;

/**
 * The records a write changed, or undefined when the change is not an upsert
 * of records (a session or record removed, or the lists reordered): such a
 * write rewrites the file. Unchanged records keep their identity between two
 * versions of a document, so this costs a pass over references, not a copy.
 */
export function changesOf(base: TeamDoc, next: TeamDoc): LogLine | undefined {
  const sessions = changedItems(base.sessions, next.sessions, (s) => s.id);
  const decisions = changedItems(base.decisions, next.decisions, (d) => d.number);
  if (!sessions || !decisions) return undefined;
  return lineOf(base, next, sessions, decisions);
}

/**
 * The same from the keys of the records scoped updates changed (no pass over
 * the team's lists): `find` looks a record up by key in the new document.
 */
export function touchedChanges(
  base: TeamDoc,
  next: TeamDoc,
  touched: { sessions: Iterable<string>; decisions: Iterable<number> },
  find: { session: (id: string) => Session | undefined; decision: (n: number) => Decision | undefined },
): LogLine | undefined {
  const sessions = [...touched.sessions].map(find.session);
  const decisions = [...touched.decisions].map(find.decision);
  if (sessions.some((s) => !s) || decisions.some((d) => !d)) return undefined;
  return lineOf(base, next, sessions as Session[], decisions as Decision[]);
}

function lineOf(base: TeamDoc, next: TeamDoc, sessions: Session[], decisions: Decision[]): LogLine | undefined {
  const head: Record<string, unknown> = {};
  const before = base as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  for (const key of Object.keys(after)) {
    if (key === 'sessions' || key === 'decisions') continue;
    if (after[key] !== before[key]) head[key] = after[key];
  }
  // A field that disappeared cannot be said as an upsert.
  for (const key of Object.keys(before)) if (!(key in after)) return undefined;
  const line: LogLine = {};
  if (Object.keys(head).length) line.head = head;
  if (sessions.length) line.sessions = sessions;
  if (decisions.length) line.decisions = decisions;
  return line;
}

function changedItems<T, K>(base: readonly T[], next: readonly T[], keyOf: (x: T) => K): T[] | undefined {
  if (next.length < base.length) return undefined;
  const changed: T[] = [];
  for (let i = 0; i < next.length; i++) {
    const item = next[i] as T;
    if (i < base.length) {
      const was = base[i] as T;
      if (item === was) continue;
      if (keyOf(item) !== keyOf(was)) return undefined;
    }
    changed.push(item);
  }
  return changed;
}

/** A line as bytes: the records' encoded forms are reused (and kept for the next compaction). */
export function encodeLine(line: LogLine, encoded: (part: object) => Buffer): Buffer[] {
  const parts: Buffer[] = [Buffer.from('{')];
  let first = true;
  const field = (name: string) => {
    parts.push(Buffer.from(`${first ? '' : ','}"${name}":`));
    first = false;
  };
  if (line.head) {
    field('head');
    parts.push(Buffer.from(JSON.stringify(line.head)));
  }
  for (const name of ['sessions', 'decisions'] as const) {
    const items = line[name];
    if (!items) continue;
    field(name);
    parts.push(Buffer.from('['));
    items.forEach((x, i) => {
      if (i) parts.push(Buffer.from(','));
      parts.push(encoded(x));
    });
    parts.push(Buffer.from(']'));
  }
  parts.push(Buffer.from('}\n'));
  return parts;
}

export class LogError extends Error {}

/**
 * Reads a log: its lines when its header names `hash`, [] when it belongs to
 * another version of the file; `goodBytes` is where the last whole line ends
 * (a torn last write is cut there before the next append).
 */
export function parseLog(text: string, hash: string): { lines: LogLine[]; goodBytes: number; current: boolean } {
  const end = text.lastIndexOf('\n');
  const whole = end < 0 ? '' : text.slice(0, end);
  const goodBytes = end < 0 ? 0 : Buffer.byteLength(whole, 'utf8') + 1;
  const rows = whole === '' ? [] : whole.split('\n');
  const header = rows.length ? safeJson(rows[0] as string) : undefined;
  const ok =
    typeof header === 'object' &&
    header !== null &&
    (header as { log?: unknown }).log === LOG_VERSION &&
    (header as { snapshot?: unknown }).snapshot === hash;
  if (!ok) return { lines: [], goodBytes, current: false };
  const lines: LogLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const parsed = safeJson(rows[i] as string);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LogError(`line ${i + 1} is not a JSON object`);
    }
    const line = parsed as LogLine;
    if (
      (line.head !== undefined && (typeof line.head !== 'object' || line.head === null)) ||
      (line.sessions !== undefined && !Array.isArray(line.sessions)) ||
      (line.decisions !== undefined && !Array.isArray(line.decisions))
    ) {
      throw new LogError(`line ${i + 1} is not a change of records`);
    }
    lines.push(line);
  }
  return { lines, goodBytes, current: true };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Applies lines, in order, to a raw (not yet validated) document: records are
 * replaced by key where they are, new ones appended. The caller validates the result.
 */
export function replay(raw: Record<string, unknown>, lines: readonly LogLine[]): Record<string, unknown> {
  if (!lines.length) return raw;
  const doc: Record<string, unknown> = { ...raw };
  const sessions = Array.isArray(doc.sessions) ? [...(doc.sessions as Session[])] : [];
  const decisions = Array.isArray(doc.decisions) ? [...(doc.decisions as Decision[])] : [];
  const sessionAt = new Map(sessions.map((s, i) => [s?.id, i]));
  const decisionAt = new Map(decisions.map((d, i) => [d?.number, i]));
  for (const line of lines) {
    if (line.head) Object.assign(doc, line.head);
    for (const s of line.sessions ?? []) {
      const i = sessionAt.get(s?.id);
      if (i === undefined) sessionAt.set(s?.id, sessions.push(s) - 1);
      else sessions[i] = s;
    }
    for (const d of line.decisions ?? []) {
      const i = decisionAt.get(d?.number);
      if (i === undefined) decisionAt.set(d?.number, decisions.push(d) - 1);
      else decisions[i] = d;
    }
  }
  doc.sessions = sessions;
  doc.decisions = decisions;
  return doc;
}

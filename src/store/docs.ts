import { freeze, Immer } from 'immer';
import { undraft } from '../domain/undraft.js';
import { Decision, Session, TeamDoc } from './schema.js';
import { StoreError } from './store.js';
import type { Pending } from './team-batches.js';

/**
 * Copy-on-write documents: an update drafts only what it touches (immer), so
 * isolating one update from a failure costs what it changed, not the team's
 * whole document. Unchanged sessions and decisions keep their identity, which
 * lets validation and serialisation skip them.
 */
const immer = new Immer({ autoFreeze: true });

const validated = new WeakSet<object>();
const json = new WeakMap<object, Buffer>();
const TopLevel = TeamDoc.omit({ sessions: true, decisions: true });

/** Freezes a freshly loaded, fully validated document and remembers its parts as valid. */
export function adopt(doc: TeamDoc): TeamDoc {
  freeze(doc, true);
  for (const s of doc.sessions) validated.add(s);
  for (const d of doc.decisions) validated.add(d);
  return doc;
}

/** Validates what changed between two versions of a document: new or changed parts only. */
function check(teamId: string, next: TeamDoc): void {
  const fail = (where: string, message: string | undefined): never => {
    throw new StoreError('write_failed', `refusing to save team ${teamId}: ${where}: ${message}`);
  };
  const { sessions, decisions, ...rest } = next;
  const top = TopLevel.safeParse(rest);
  if (!top.success) fail(top.error.issues[0]?.path.join('.') || '(root)', top.error.issues[0]?.message);
  if (!Array.isArray(sessions) || !Array.isArray(decisions)) fail('(root)', 'sessions and decisions must be lists');
  sessions.forEach((s, i) => {
    if (validated.has(s)) return;
    const r = Session.safeParse(s);
    if (!r.success) fail(`sessions.${i}.${r.error.issues[0]?.path.join('.')}`, r.error.issues[0]?.message);
    validated.add(s);
  });
  decisions.forEach((d, i) => {
    if (validated.has(d)) return;
    const r = Decision.safeParse(d);
    if (!r.success) fail(`decisions.${i}.${r.error.issues[0]?.path.join('.')}`, r.error.issues[0]?.message);
    validated.add(d);
  });
}

/**
 * Runs one update against `base`: the function changes a draft; the result is
 * validated and returned as the next frozen document. `base` is untouched when
 * the function throws or the result is invalid.
 */
export async function applyUpdate<T>(
  teamId: string,
  base: TeamDoc,
  fn: (doc: TeamDoc) => T | Promise<T>,
): Promise<{ next: TeamDoc; result: T }> {
  const draft = immer.createDraft(base);
  let result: T;
  try {
    result = undraft(await fn(draft as TeamDoc));
  } catch (err) {
    immer.finishDraft(draft);
    throw err;
  }
  const next = immer.finishDraft(draft) as TeamDoc;
  if (next !== base) check(teamId, next);
  return { next, result };
}

/**
 * Applies a batch of queued updates in order, each to the result of the one
 * before: an update that throws (or leaves an invalid document) is dropped
 * alone, and the others still apply. Saving `state` once is the caller's job.
 */
export async function applyBatch(
  teamId: string,
  base: TeamDoc,
  batch: readonly Pending[],
): Promise<{
  state: TeamDoc;
  applied: Array<{ p: Pending; value: unknown }>;
  failed: Array<{ p: Pending; err: unknown }>;
}> {
  let state = base;
  const applied: Array<{ p: Pending; value: unknown }> = [];
  const failed: Array<{ p: Pending; err: unknown }> = [];
  for (const p of batch) {
    try {
      const { next, result } = await applyUpdate(teamId, state, p.fn);
      state = next;
      applied.push({ p, value: result });
    } catch (err) {
      failed.push({ p, err });
    }
  }
  return { state, applied, failed };
}

/**
 * A buffer of exactly the string's bytes, with memory of its own: `Buffer.from` puts short strings in a
 * shared 8 KiB slab, and one cached session left in a slab would keep the whole slab alive.
 */
export function exactBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 0, 'utf8');
  return bytes;
}

/** A session's or record's JSON bytes, encoded once per version of it. */
export const encoded = (part: object): Buffer => {
  let bytes = json.get(part);
  if (bytes === undefined) {
    bytes = exactBytes(JSON.stringify(part));
    json.set(part, bytes);
  }
  return bytes;
};

const COMMA = Buffer.from(',');

/**
 * The document as JSON bytes, reusing the encoded form of sessions and
 * decisions that did not change: a save costs copying bytes, not serialising
 * every session again, and makes no large string or buffer for the garbage collector.
 */
export function serialise(doc: TeamDoc): Buffer[] {
  const { sessions, decisions, ...rest } = doc;
  const head = JSON.stringify(rest).slice(0, -1);
  const parts: Buffer[] = [Buffer.from(`${head}${head.length > 1 ? ',' : ''}"sessions":[`)];
  sessions.forEach((s, i) => {
    if (i) parts.push(COMMA);
    parts.push(encoded(s));
  });
  parts.push(Buffer.from('],"decisions":['));
  decisions.forEach((d, i) => {
    if (i) parts.push(COMMA);
    parts.push(encoded(d));
  });
  parts.push(Buffer.from(']}\n'));
  return parts;
}

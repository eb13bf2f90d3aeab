import { freeze, Immer, isDraft } from 'immer';
import { undraft } from '../domain/undraft.js';
import { findByKey } from '../team/lookup.js';
import { Decision, Session, TeamDoc } from './schema.js';
import { type Scope, StoreError } from './store.js';
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
function check(teamId: string, next: TeamDoc, base: TeamDoc): void {
  const fail = (where: string, message: string | undefined): never => {
    throw new StoreError('write_failed', `refusing to save team ${teamId}: ${where}: ${message}`);
  };
  const { sessions, decisions, ...rest } = next;
  const top = TopLevel.safeParse(rest);
  if (!top.success) fail(top.error.issues[0]?.path.join('.') || '(root)', top.error.issues[0]?.message);
  if (!Array.isArray(sessions) || !Array.isArray(decisions)) fail('(root)', 'sessions and decisions must be lists');
  // Parts still where they were in `base` were valid there: compared by identity first, a pass that costs
  // next to nothing in a team of thousands.
  sessions.forEach((s, i) => {
    if (s === base.sessions[i] || validated.has(s)) return;
    const r = Session.safeParse(s);
    if (!r.success) fail(`sessions.${i}.${r.error.issues[0]?.path.join('.')}`, r.error.issues[0]?.message);
    validated.add(s);
  });
  decisions.forEach((d, i) => {
    if (d === base.decisions[i] || validated.has(d)) return;
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
  if (next !== base) {
    check(teamId, next, base);
    carryIndexes(base, next);
  }
  return { next, result };
}

/**
 * Where each session and record sits in a list, by key. One index serves
 * every version of a list made from another by replacing or appending
 * elements (what a scoped update does), so finding one record never scans the
 * team; a hit counts only if the list still holds that key there.
 */
type Index<K> = Map<K, number>;
const sessionIndexes = new WeakMap<readonly Session[], Index<string>>();
const decisionIndexes = new WeakMap<readonly Decision[], Index<number>>();

function indexed<T, K>(
  indexes: WeakMap<readonly T[], Index<K>>,
  list: readonly T[],
  keyOf: (x: T) => K,
  key: K,
): number | undefined {
  let at = indexes.get(list);
  if (!at) {
    at = new Map();
    for (let i = 0; i < list.length; i++) at.set(keyOf(list[i] as T), i);
    indexes.set(list, at);
  }
  const i = at.get(key);
  return i !== undefined && i < list.length && keyOf(list[i] as T) === key ? i : undefined;
}

export const sessionAt = (list: readonly Session[], id: string) => indexed(sessionIndexes, list, (s) => s.id, id);
export const decisionAt = (list: readonly Decision[], n: number) => indexed(decisionIndexes, list, (d) => d.number, n);

/**
 * A session by id, and a record by number: through the list's index in a
 * stored document, whatever the team's size; by a search inside an update,
 * where the lists are drafts (of the few records a scoped update sees).
 */
export function sessionById(doc: TeamDoc, id: string): Session | undefined {
  if (isDraft(doc.sessions)) return findByKey(doc.sessions, (s) => s.id === id);
  const i = sessionAt(doc.sessions, id);
  return i === undefined ? undefined : doc.sessions[i];
}

export function decisionByNumber(doc: TeamDoc, n: number): Decision | undefined {
  if (isDraft(doc.decisions)) return findByKey(doc.decisions, (d) => d.number === n);
  const i = decisionAt(doc.decisions, n);
  return i === undefined ? undefined : doc.decisions[i];
}

/** Sessions by thread (channel and thread ts), the first of a thread kept, as a search from the start finds it. */
const threadIndexes = new WeakMap<readonly Session[], Index<string>>();
const threadKey = (s: Session) => `${s.channel ?? ''}\u0000${s.threadTs ?? ''}`;

function threadIndex(list: readonly Session[]): Index<string> {
  let at = threadIndexes.get(list);
  if (!at) {
    at = new Map();
    for (let i = 0; i < list.length; i++) {
      const key = threadKey(list[i] as Session);
      if (!at.has(key)) at.set(key, i);
    }
    threadIndexes.set(list, at);
  }
  return at;
}

/** The session of a thread, found without a pass over the team's sessions. */
export function sessionOfThread(doc: TeamDoc, channel: string, threadTs: string): Session | undefined {
  const key = `${channel}\u0000${threadTs}`;
  const i = threadIndex(doc.sessions).get(key);
  const s = i === undefined ? undefined : doc.sessions[i];
  return s && threadKey(s) === key ? s : undefined;
}

/** Carries the thread index of `list` to `next` (elements at `replaced` changed, `added` appended). */
function carryThreads(list: readonly Session[], next: readonly Session[], replaced: readonly number[]): void {
  const at = threadIndexes.get(list);
  if (!at) return;
  for (const i of replaced) {
    const was = threadKey(list[i] as Session);
    const now = threadKey(next[i] as Session);
    if (was === now) continue;
    if (at.get(was) === i) {
      // Another session of that thread, if any, takes its place: found by a search, as rare as it is.
      at.delete(was);
      const other = next.findIndex((s) => threadKey(s) === was);
      if (other >= 0) at.set(was, other);
    }
    const held = at.get(now);
    if (held === undefined || held > i) at.set(now, i);
  }
  for (let i = list.length; i < next.length; i++) {
    const key = threadKey(next[i] as Session);
    if (!at.has(key)) at.set(key, i);
  }
  threadIndexes.set(next, at);
}

/**
 * A list with the elements at `at` replaced and `added` appended, frozen,
 * sharing the original's index (positions do not move). Copying references
 * is all it costs, whatever the list's length. Only the store's own line of
 * versions may add to a shared index: a copy kept elsewhere that added its own
 * elements would move keys the store's versions still look up.
 */
function spliced<T, K>(
  indexes: WeakMap<readonly T[], Index<K>>,
  list: readonly T[],
  keyOf: (x: T) => K,
  replaced: ReadonlyArray<readonly [number, T]>,
  added: readonly T[],
): readonly T[] {
  const next = [...list];
  for (const [i, x] of replaced) next[i] = x;
  for (const x of added) {
    // The index is built if need be, so a second element with a key already there is always refused.
    if (indexed(indexes, list, keyOf, keyOf(x)) !== undefined) {
      throw new StoreError('write_failed', `refusing to save: a scoped update added a second ${String(keyOf(x))}`);
    }
    indexes.get(list)?.set(keyOf(x), next.push(x) - 1);
  }
  const at = indexes.get(list);
  if (at) indexes.set(next, at);
  return Object.freeze(next);
}

/**
 * The document with this session and this record put in place of the ones
 * with their keys, as a caller keeping a copy of what it saved needs; costs
 * the same whatever the team's size. One the copy did not hold is appended
 * without an index (see `spliced`): rare, and found by a search.
 */
export function withRecords(doc: TeamDoc, session?: Session, decision?: Decision): TeamDoc {
  const put = <T, K>(
    indexes: WeakMap<readonly T[], Index<K>>,
    list: readonly T[],
    keyOf: (x: T) => K,
    item: T | undefined,
  ): { list: readonly T[]; at?: number } => {
    if (item === undefined) return { list };
    const at = indexed(indexes, list, keyOf, keyOf(item));
    if (at === undefined) return { list: Object.freeze([...list, item]) };
    return list[at] === item ? { list } : { list: spliced(indexes, list, keyOf, [[at, item]], []), at };
  };
  const s = put(sessionIndexes, doc.sessions, (x) => x.id, session);
  if (s.at !== undefined) carryThreads(doc.sessions, s.list as Session[], [s.at]);
  const d = put(decisionIndexes, doc.decisions, (x) => x.number, decision);
  return s.list === doc.sessions && d.list === doc.decisions
    ? doc
    : (Object.freeze({ ...doc, sessions: s.list, decisions: d.list }) as TeamDoc);
}

/**
 * After a whole-team update, the indexes of the lists it left in place (elements changed where they were,
 * or appended) go on serving the new lists: a pass over references, instead of a new index built from every
 * session at the next click. A list shortened or reordered gets a new index when it is next searched.
 */
function carryIndexes(base: TeamDoc, next: TeamDoc): void {
  const carry = <T, K>(
    indexes: WeakMap<readonly T[], Index<K>>,
    was: readonly T[],
    now: readonly T[],
    keyOf: (x: T) => K,
  ): number[] | undefined => {
    const at = indexes.get(was);
    if (!at || was === now || now.length < was.length) return undefined;
    const changed: number[] = [];
    for (let i = 0; i < was.length; i++) {
      if (now[i] === was[i]) continue;
      if (keyOf(now[i] as T) !== keyOf(was[i] as T)) return undefined;
      changed.push(i);
    }
    for (let i = was.length; i < now.length; i++) {
      const key = keyOf(now[i] as T);
      if (at.has(key) && indexed(indexes, was, keyOf, key) !== undefined) return undefined;
      at.set(key, i);
    }
    indexes.set(now, at);
    return changed;
  };
  const changed = carry(sessionIndexes, base.sessions, next.sessions, (s) => s.id);
  if (changed) carryThreads(base.sessions, next.sessions, changed);
  carry(decisionIndexes, base.decisions, next.decisions, (d) => d.number);
}

/** What a batch changed, record by record, when every change in it was scoped; undefined when any was not. */
export type Touched = { sessions: Set<string>; decisions: Set<number> } | undefined;

/**
 * Runs one scoped update: `fn` gets a document holding only the scope's
 * session, the record it became, the scope's record, and the team's own
 * fields; what it changed is put back in place. Costs what the records cost,
 * not the team.
 */
async function applyScoped<T>(
  teamId: string,
  base: TeamDoc,
  fn: (doc: TeamDoc) => T | Promise<T>,
  scope: Scope,
  touched: NonNullable<Touched>,
): Promise<{ next: TeamDoc; result: T }> {
  const si = scope.session === undefined ? undefined : sessionAt(base.sessions, scope.session);
  const session = si === undefined ? undefined : base.sessions[si];
  const numbers = [...new Set([session?.decisionNumber, scope.decision])].filter((n): n is number => n !== undefined);
  const dis = numbers.map((n) => decisionAt(base.decisions, n)).filter((i): i is number => i !== undefined);
  const view: TeamDoc = {
    ...base,
    sessions: session ? [session] : [],
    decisions: dis.map((i) => base.decisions[i] as Decision),
  };
  adopt(view);
  const { next: changed, result } = await applyUpdate(teamId, view, fn);
  if (changed === view) return { next: base, result };
  const refuse = (what: string): never => {
    throw new StoreError('write_failed', `refusing to save team ${teamId}: a scoped update ${what}`);
  };
  if (changed.sessions.length < view.sessions.length || changed.decisions.length < view.decisions.length) {
    refuse('removed a record');
  }
  const sessions =
    changed.sessions === view.sessions
      ? base.sessions
      : (() => {
          if (session && changed.sessions[0]?.id !== session.id) refuse('reordered the sessions');
          const replaced: Array<readonly [number, Session]> = [];
          if (si !== undefined && changed.sessions[0] !== session) {
            replaced.push([si, changed.sessions[0] as Session]);
            touched.sessions.add(session?.id as string);
          }
          const added = changed.sessions.slice(view.sessions.length);
          for (const s of added) touched.sessions.add(s.id);
          const next = spliced(sessionIndexes, base.sessions, (s) => s.id, replaced, added);
          carryThreads(
            base.sessions,
            next,
            replaced.map(([i]) => i),
          );
          return next;
        })();
  const decisions =
    changed.decisions === view.decisions
      ? base.decisions
      : (() => {
          const replaced: Array<readonly [number, Decision]> = [];
          dis.forEach((at, k) => {
            const d = changed.decisions[k] as Decision;
            if (d.number !== view.decisions[k]?.number) refuse('reordered the records');
            if (d !== view.decisions[k]) {
              replaced.push([at, d]);
              touched.decisions.add(d.number);
            }
          });
          const added = changed.decisions.slice(view.decisions.length);
          for (const d of added) touched.decisions.add(d.number);
          return spliced(decisionIndexes, base.decisions, (d) => d.number, replaced, added);
        })();
  return { next: Object.freeze({ ...changed, sessions, decisions }) as TeamDoc, result };
}

/**
 * Applies a batch of queued updates in order, each to the result of the one
 * before: an update that throws (or leaves an invalid document) is dropped
 * alone, and the others still apply. Saving `state` once is the caller's job.
 * `touched` names the records changed when every update that changed
 * something was scoped (so a save can write just those).
 */
export async function applyBatch(
  teamId: string,
  base: TeamDoc,
  batch: readonly Pending[],
): Promise<{
  state: TeamDoc;
  applied: Array<{ p: Pending; value: unknown }>;
  failed: Array<{ p: Pending; err: unknown }>;
  touched: Touched;
}> {
  let state = base;
  const applied: Array<{ p: Pending; value: unknown }> = [];
  const failed: Array<{ p: Pending; err: unknown }> = [];
  let touched: Touched = { sessions: new Set(), decisions: new Set() };
  for (const p of batch) {
    try {
      const { next, result } = p.scope
        ? await applyScoped(teamId, state, p.fn, p.scope, touched ?? { sessions: new Set(), decisions: new Set() })
        : await applyUpdate(teamId, state, p.fn);
      if (next !== state && !p.scope) touched = undefined;
      state = next;
      applied.push({ p, value: result });
    } catch (err) {
      failed.push({ p, err });
    }
  }
  return { state, applied, failed, touched };
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

import { current, freeze, Immer, isDraft } from 'immer';
import { Decision, Session, TeamDoc } from './schema.js';
import { StoreError } from './store.js';

/**
 * Copy-on-write documents: an update drafts only what it touches (immer), so
 * isolating one update from a failure costs what it changed, not the team's
 * whole document. Unchanged sessions and decisions keep their identity, which
 * lets validation and serialisation skip them.
 */
const immer = new Immer({ autoFreeze: true });

const validated = new WeakSet<object>();
const json = new WeakMap<object, string>();
const TopLevel = TeamDoc.omit({ sessions: true, decisions: true });

/** Freezes a freshly loaded, fully validated document and remembers its parts as valid. */
export function adopt(doc: TeamDoc): TeamDoc {
  freeze(doc, true);
  for (const s of doc.sessions) validated.add(s);
  for (const d of doc.decisions) validated.add(d);
  return doc;
}

/** Deep-copies any draft reachable from an update's result, so it outlives the draft. */
function undraft<T>(value: T): T {
  if (isDraft(value)) return current(value as object) as T;
  if (Array.isArray(value)) return value.map(undraft) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, undraft(v)])) as T;
  }
  return value;
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

const cached = (part: object): string => {
  let text = json.get(part);
  if (text === undefined) {
    text = JSON.stringify(part);
    json.set(part, text);
  }
  return text;
};

/**
 * The document as JSON in pieces, reusing the text of sessions and decisions
 * that did not change. Pieces keep a big team's write from allocating one
 * large string (which only a full garbage collection reclaims) on every save.
 */
export function* serialise(doc: TeamDoc): Generator<string> {
  const { sessions, decisions, ...rest } = doc;
  const head = JSON.stringify(rest).slice(0, -1);
  yield `${head}${head.length > 1 ? ',' : ''}"sessions":[`;
  for (let i = 0; i < sessions.length; i++) yield (i ? ',' : '') + cached(sessions[i] as object);
  yield '],"decisions":[';
  for (let i = 0; i < decisions.length; i++) yield (i ? ',' : '') + cached(decisions[i] as object);
  yield ']}\n';
}

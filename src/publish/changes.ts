import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { AdrFile } from '../adr/index.js';
import { adrId } from '../domain/machine/record.js';
import { count } from '../domain/plural.js';
import type { Decision } from '../store/schema.js';

/** A record file name: `NNNN-slug.md`; group 1 is the number. */
export const RECORD_FILE = /^(\d{4,})-.+\.md$/;

/** The blob id git gives these bytes (SHA-1 of `blob <len>\0<bytes>`), so unchanged files are known without a download. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The `status:` of a MADR file's front matter, or undefined when it has none we can read. */
export function statusOf(content: string): string | undefined {
  const m = /^---\n([\s\S]*?)\n---/.exec(content);
  if (!m?.[1]) return undefined;
  try {
    const data: unknown = parse(m[1]);
    const status = (data as { status?: unknown } | null)?.status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

/** What an export changes in the decisions folder, compared with what the target branch holds. */
export type Changes = {
  added: { number: number; title: string; status: string }[];
  statusChanged: { number: number; title: string; from: string; to: string }[];
  /** Records whose text changed but not their status (a title, a reply, a concern). */
  edited: { number: number; title: string }[];
  supersedes: { from: number; to: number }[];
  /** Old file names of records whose title (so file name) changed: deleted in the same commit. */
  removed: string[];
  /** The index changed. */
  index: boolean;
};

/** Existing files of the folder: name → blob sha, plus a way to read the few whose status must be compared. */
export type Existing = Map<string, string>;

const recordNumber = (name: string): number | undefined => {
  const n = RECORD_FILE.exec(name)?.[1];
  return n === undefined ? undefined : Number(n);
};

/**
 * Files to write (their sha differs from the folder's) and old-named record
 * files to delete (same number, another name), in file order.
 */
export function diffFiles(files: readonly AdrFile[], existing: Existing): { write: AdrFile[]; remove: string[] } {
  const names = new Set(files.map((f) => f.fileName));
  const numbers = new Set(files.map((f) => recordNumber(f.fileName)).filter((n) => n !== undefined));
  const write = files.filter((f) => existing.get(f.fileName) !== gitBlobSha(f.content));
  const remove = [...existing.keys()]
    .filter((name) => !names.has(name) && numbers.has(recordNumber(name) ?? -1))
    .sort();
  return { write, remove };
}

/**
 * The summary of an export against the base branch: new records, status
 * changes, supersedes links that came with them. `oldContent` reads a file the
 * base holds under the record's current or previous name.
 */
export async function summarise(
  files: readonly AdrFile[],
  decisions: readonly Decision[],
  base: Existing,
  oldContent: (name: string) => Promise<string>,
): Promise<Changes> {
  const { write, remove } = diffFiles(files, base);
  const byNumber = new Map(decisions.map((d) => [d.number, d]));
  const baseByNumber = new Map<number, string>();
  for (const name of base.keys()) {
    const n = recordNumber(name);
    if (n !== undefined) baseByNumber.set(n, name);
  }
  const changes: Changes = { added: [], statusChanged: [], edited: [], supersedes: [], removed: remove, index: false };
  const touched = new Set<number>();
  for (const file of write) {
    const n = recordNumber(file.fileName);
    if (n === undefined) {
      changes.index = true;
      continue;
    }
    const d = byNumber.get(n);
    if (!d) continue;
    touched.add(n);
    const to = statusOf(file.content) ?? d.status;
    const oldName = baseByNumber.get(n);
    if (!oldName) {
      changes.added.push({ number: n, title: d.title, status: to });
      continue;
    }
    const from = statusOf(await oldContent(oldName));
    if (from !== undefined && from !== to) changes.statusChanged.push({ number: n, title: d.title, from, to });
    else changes.edited.push({ number: n, title: d.title });
  }
  for (const d of decisions) {
    if (d.supersedes !== undefined && (touched.has(d.number) || touched.has(d.supersedes)))
      changes.supersedes.push({ from: d.number, to: d.supersedes });
  }
  changes.supersedes.sort((a, b) => a.from - b.from);
  return changes;
}

export const isEmpty = (c: Changes): boolean =>
  !c.added.length && !c.statusChanged.length && !c.edited.length && !c.removed.length && !c.index;

/** One line for a commit subject or a chat reply: "2 new records, 1 status change". */
export function headline(c: Changes): string {
  const parts = [
    c.added.length ? count(c.added.length, 'new record') : '',
    c.statusChanged.length ? count(c.statusChanged.length, 'status change') : '',
    c.edited.length ? count(c.edited.length, 'updated record') : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'index only';
}

/** Markdown that GitHub shows as plain text: user titles cannot add links, mentions or HTML. */
const plain = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/[\\`*_[\]#|~]/g, (ch) => `\\${ch}`);

/**
 * A status as the description shows it: one of the statuses mesh-help writes
 * (`superseded by ADR-0007` included), or a fixed phrase for anything else a
 * file in the repository may claim, so repository text never reaches the page.
 */
export function knownStatus(status: string): string {
  const s = status.trim();
  return /^(?:proposed|accepted|rejected|deprecated|superseded(?: by ADR-\d{4,})?)$/.test(s)
    ? s
    : 'an unrecognised status';
}

/** The pull request's description: what changed against the base branch, then where it came from. */
export function prBody(teamId: string, path: string, c: Changes): string {
  const lines = [`Decision records of team \`${teamId}\`, exported by mesh-help into \`${path}/\`.`, ''];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push(`### ${title}`, '', ...items, '');
  };
  section(
    'New records',
    c.added.map((a) => `- ${adrId(a.number)}: ${plain(a.title)} (${knownStatus(a.status)})`),
  );
  section(
    'Status changes',
    c.statusChanged.map(
      (s) => `- ${adrId(s.number)}: ${plain(s.title)}: ${knownStatus(s.from)} → ${knownStatus(s.to)}`,
    ),
  );
  section(
    'Supersedes',
    c.supersedes.map((s) => `- ${adrId(s.from)} supersedes ${adrId(s.to)}`),
  );
  section(
    'Updated records',
    c.edited.map((e) => `- ${adrId(e.number)}: ${plain(e.title)}`),
  );
  section(
    'Renamed (old files removed)',
    // File names come from the repository: shown as escaped text (a code span cannot escape a backtick).
    c.removed.map((r) => `- ${plain(r)}`),
  );
  if (isEmpty(c)) lines.push('Nothing differs from the base branch any more.', '');
  lines.push('Generated from the team’s decision log: change records in Slack or with `mesh-help`, then export again.');
  return `${lines.join('\n')}\n`;
}

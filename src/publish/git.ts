import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdrFile } from '../adr/index.js';
import type { Decision } from '../store/schema.js';
import { type Changes, diffFiles, type Existing, headline, isEmpty, summarise } from './changes.js';
import { PublishError } from './errors.js';
import { type GitRun, GitRunError, gitDetail, runGit } from './git-process.js';
import { DEFAULT_LIMITS, deadline, type ExportLimits, seconds } from './limits.js';
import { guardOwnership, type Ownership } from './ownership.js';

export type GitPushInput = {
  remote: string;
  branch: string;
  path: string;
  teamId: string;
  files: readonly AdrFile[];
  decisions: readonly Decision[];
  author?: { name: string; email: string };
  /** When the commit is made (default: now). */
  now?: Date;
  limits?: ExportLimits;
  /** Stops the export early (the bot is stopping); its own deadline applies either way. */
  signal?: AbortSignal;
  /** Which files in the folder this team's exports wrote (absent: none recorded yet). */
  ownership?: Ownership;
};

export type GitPushOutcome =
  | { kind: 'pushed'; branch: string; commit: string; changes: Changes }
  | { kind: 'unchanged'; branch: string };

/** The default branch mesh-help pushes a team's records to on a plain git remote. */
export const defaultGitBranch = (teamId: string): string => `mesh-help/decisions-${teamId}`;

/** One entry of a git tree, as `git ls-tree -z` lists it. */
type TreeEntry = { mode: string; type: string; sha: string; name: string };

const parseTree = (listing: string): TreeEntry[] =>
  listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', sha = ''] = line.slice(0, tab).split(' ');
      return { mode, type, sha, name: line.slice(tab + 1) };
    });

const REGULAR = new Set(['100644', '100755']);

/** What a tree entry that is not a folder is, in a person's words. */
const kindOf = (e: TreeEntry): string =>
  e.mode === '120000'
    ? 'a symbolic link'
    : e.mode === '160000'
      ? 'a submodule'
      : e.type === 'tree'
        ? 'a folder'
        : 'a file';

/** A path for git fast-import, C-quoted so that no name can end the line or start a command. */
const quoted = (path: string): string => `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;

/** The name and e-mail of a fast-import identity line: nothing that could end the field or the line. */
const identity = (author: { name: string; email: string }): string =>
  `${author.name.replace(/[<>\n]/g, '').trim() || 'mesh-help'} <${author.email.replace(/[<>\n\s]/g, '')}>`;

/** git's failure as a plain reason for the person; git's own words go to `detail` for the operator's log. */
function plainReason(
  err: unknown,
  limits: ExportLimits,
  stage: 'reach' | 'fetch' | 'push',
  branch: string,
): PublishError {
  const detail = gitDetail(err);
  if (err instanceof GitRunError && err.failure === 'timeout')
    return new PublishError(
      'timed-out',
      `The git remote did not answer in time (mesh-help waits at most ${seconds(limits.callMs)} s a step and ${seconds(limits.totalMs)} s in all), so the export stopped; nothing was pushed. Try again later, or ask whoever runs mesh-help to check the remote.`,
      detail,
    );
  if (err instanceof GitRunError && err.failure === 'aborted')
    return new PublishError(
      'timed-out',
      'The export was stopped (mesh-help is restarting); nothing was pushed. Export again in a minute.',
      detail,
    );
  if (err instanceof GitRunError && err.failure === 'spawn')
    return new PublishError('git-failed', 'git is not installed where mesh-help runs, so it cannot push.', detail);
  const said = err instanceof GitRunError ? err.stderr : '';
  if (/operation too slow|operation timed out|timed out after/i.test(said))
    return plainReason(new GitRunError('timeout', said), limits, stage, branch);
  if (stage === 'push' && /non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref/i.test(said))
    return new PublishError(
      'conflict',
      `The branch ${branch} changed on the remote while exporting; nothing was overwritten. Export again.`,
      detail,
    );
  if (/could not resolve host|name or service not known|temporary failure in name resolution/i.test(said))
    return new PublishError('no-access', 'The git remote’s host name could not be found; nothing was pushed.', detail);
  if (
    /connection refused|failed to connect|couldn't connect|network is unreachable|connection timed out|no route to host/i.test(
      said,
    )
  )
    return new PublishError(
      'no-access',
      'The git remote could not be reached (the connection was refused or dropped); nothing was pushed.',
      detail,
    );
  if (/authentication failed|could not read (username|password)|permission denied|access denied|\b40[13]\b/i.test(said))
    return new PublishError(
      'no-access',
      'The git remote refused mesh-help’s credentials (or mesh-help has none for it); nothing was pushed. Whoever runs mesh-help sets up git’s credentials for that remote.',
      detail,
    );
  if (
    /not found|does not appear to be a git repository|does not exist|no such file or directory|could not read from remote/i.test(
      said,
    )
  )
    return new PublishError(
      'no-access',
      'There is no git repository at that remote that mesh-help can read; nothing was pushed.',
      detail,
    );
  if (stage === 'push' && /rejected|declined|protected/i.test(said))
    return new PublishError(
      'git-failed',
      `The remote refused the push to ${branch} (a protected branch or a server hook); nothing was pushed.`,
      detail,
    );
  return new PublishError(
    'git-failed',
    stage === 'push'
      ? 'git could not push the records; nothing was pushed.'
      : 'git could not read the remote; nothing was pushed.',
    detail,
  );
}

/**
 * Builds one commit with the records on top of the branch (or the remote's
 * default branch when the branch is new) and pushes it without force: a push
 * that is not a fast-forward fails and changes nothing on the remote.
 *
 * Nothing is ever checked out. The commit is made with git plumbing in a bare
 * repository inside a fresh temporary folder (`fast-import` writes the
 * objects), so no file of the remote's tree is written on this machine and a
 * symbolic link in it cannot lead a write or a delete anywhere. The folder
 * and each of its parents must be real folders in the remote's tree; a link,
 * file or submodule in their place is refused, as is a record name that is
 * not a regular file, so the export never replaces what it did not write.
 */
export async function pushWithGit(input: GitPushInput): Promise<GitPushOutcome> {
  const { remote, branch, path } = input;
  const limits = input.limits ?? DEFAULT_LIMITS;
  const { signal, clear } = deadline(limits.totalMs, input.signal);
  const author = input.author ?? { name: 'mesh-help', email: 'mesh-help@localhost' };
  const tmp = await mkdtemp(join(tmpdir(), 'mesh-help-git-'));
  const repo = join(tmp, 'repo.git');
  const local: GitRun = { cwd: tmp, limits, signal };
  const git = (args: string[], more: Partial<GitRun> = {}) => runGit(args, { ...local, cwd: repo, ...more });
  let stage: 'reach' | 'fetch' | 'push' = 'reach';
  try {
    await runGit(['init', '--quiet', '--bare', repo], local);
    const heads = await git(['ls-remote', '--symref', '--', remote], { network: true });
    const has = (ref: string) => heads.split('\n').some((l) => l.endsWith(`\t${ref}`) && !l.startsWith('ref:'));
    const defaultRef = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(heads)?.[1];
    const from = has(`refs/heads/${branch}`)
      ? `refs/heads/${branch}`
      : defaultRef && has(defaultRef)
        ? defaultRef
        : undefined;
    stage = 'fetch';
    let baseCommit: string | undefined;
    if (from) {
      await git(['fetch', '--quiet', '--no-tags', '--depth', '1', '--', remote, `${from}:refs/mesh-help/base`], {
        network: true,
      });
      baseCommit = (await git(['rev-parse', '--verify', 'refs/mesh-help/base^{commit}'])).trim();
    }
    const label = from ? from.replace(/^refs\/heads\//, '') : branch;

    // Walk the folder's path one component at a time through the base commit's trees.
    const existing: Existing = new Map();
    const notRegular = new Map<string, TreeEntry>();
    if (baseCommit) {
      let tree = `${baseCommit}^{tree}`;
      let found = true;
      const parts = path.split('/');
      for (const [i, part] of parts.entries()) {
        const entry = parseTree(await git(['ls-tree', '-z', tree])).find((e) => e.name === part);
        if (!entry) {
          found = false;
          break;
        }
        if (entry.type !== 'tree' || entry.mode !== '040000')
          throw new PublishError(
            'unsafe-target',
            `${parts.slice(0, i + 1).join('/')} on ${label} is ${kindOf(entry)}, not a folder, so mesh-help will not write there; nothing was pushed. Choose another folder for the records.`,
          );
        tree = entry.sha;
      }
      if (found)
        for (const e of parseTree(await git(['ls-tree', '-z', tree]))) {
          if (e.type === 'blob' && REGULAR.has(e.mode)) existing.set(e.name, e.sha);
          else notRegular.set(e.name, e);
        }
    }
    for (const f of input.files) {
      const e = notRegular.get(f.fileName);
      if (e)
        throw new PublishError(
          'unsafe-target',
          `${path}/${f.fileName} on ${label} is ${kindOf(e)}, not a file mesh-help wrote, so it will not replace it; nothing was pushed.`,
        );
    }

    const blob = (sha: string) => git(['cat-file', 'blob', sha]);
    const changes = await summarise(input.files, input.decisions, existing, (name) => blob(existing.get(name) ?? ''));
    const diff = diffFiles(input.files, existing);
    const { write } = diff;
    const remove = await guardOwnership(
      write,
      diff.remove,
      existing,
      input.ownership ?? { written: new Set(), legacy: true },
      blob,
      { path, branch: label },
    );
    changes.removed = remove;
    if (!write.length && !remove.length) return { kind: 'unchanged', branch };

    const subject = isEmpty(changes) ? 'Decision records: refresh' : `Decision records: ${headline(changes)}`;
    const message = `${subject}\n\nExported by mesh-help for team ${input.teamId}.\n`;
    const when = `${Math.floor((input.now ?? new Date()).getTime() / 1000)} +0000`;
    const who = identity(author);
    const chunks: Buffer[] = [];
    const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
    const data = (s: string) => {
      const bytes = Buffer.from(s, 'utf8');
      text(`data ${bytes.length}\n`);
      chunks.push(bytes);
      text('\n');
    };
    text('commit refs/heads/export\n');
    text(`author ${who} ${when}\ncommitter ${who} ${when}\n`);
    data(message);
    if (baseCommit) text(`from ${baseCommit}\n`);
    for (const f of write) {
      text(`M 100644 inline ${quoted(`${path}/${f.fileName}`)}\n`);
      data(f.content);
    }
    for (const name of remove) text(`D ${quoted(`${path}/${name}`)}\n`);
    text('done\n');
    await git(['fast-import', '--quiet', '--done'], { input: Buffer.concat(chunks) });
    const commit = (await git(['rev-parse', '--verify', 'refs/heads/export^{commit}'])).trim();

    stage = 'push';
    await git(['push', '--quiet', '--', remote, `refs/heads/export:refs/heads/${branch}`], {
      network: true,
    });
    return { kind: 'pushed', branch, commit, changes };
  } catch (err) {
    if (err instanceof PublishError) throw err;
    throw plainReason(err, limits, stage, branch);
  } finally {
    clear();
    await rm(tmp, { recursive: true, force: true });
  }
}

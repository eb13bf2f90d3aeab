import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type AdrFile, writeExport } from '../adr/index.js';
import type { Decision } from '../store/schema.js';
import { type Changes, type Existing, gitBlobSha, headline, isEmpty, summarise } from './changes.js';
import { PublishError } from './errors.js';

const exec = promisify(execFile);

export type GitPushInput = {
  remote: string;
  branch: string;
  path: string;
  teamId: string;
  files: readonly AdrFile[];
  decisions: readonly Decision[];
  author?: { name: string; email: string };
};

export type GitPushOutcome =
  | { kind: 'pushed'; branch: string; commit: string; changes: Changes }
  | { kind: 'unchanged'; branch: string };

/** The default branch mesh-help pushes a team's records to on a plain git remote. */
export const defaultGitBranch = (teamId: string): string => `mesh-help/decisions-${teamId}`;

/** Runs git with no terminal prompts (a missing credential fails instead of hanging the bot). */
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** git's stderr, with anything that looks like credentials in a URL cut out. */
const gitMessage = (err: unknown): string =>
  String((err as { stderr?: string }).stderr || (err as Error).message)
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .slice(-3)
    .join(' ');

/**
 * Fetches the branch (or the remote's default branch when the branch is new),
 * writes the records into `path`, commits once and pushes without force: a
 * push that is not a fast-forward fails and changes nothing on the remote.
 */
export async function pushWithGit(input: GitPushInput): Promise<GitPushOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-help-git-'));
  const { remote, branch, path } = input;
  const author = input.author ?? { name: 'mesh-help', email: 'mesh-help@localhost' };
  try {
    await git(dir, ['init', '--quiet']);
    let heads: string;
    try {
      heads = await git(dir, ['ls-remote', '--symref', '--', remote]);
    } catch (err) {
      throw new PublishError('no-access', `git cannot reach the remote: ${gitMessage(err)}`);
    }
    const has = (ref: string) => heads.split('\n').some((l) => l.endsWith(`\t${ref}`) && !l.startsWith('ref:'));
    const defaultRef = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(heads)?.[1];
    const from = has(`refs/heads/${branch}`)
      ? `refs/heads/${branch}`
      : defaultRef && has(defaultRef)
        ? defaultRef
        : undefined;
    let baseCommit: string | undefined;
    if (from) {
      await git(dir, ['fetch', '--quiet', '--depth', '1', '--', remote, from]);
      baseCommit = (await git(dir, ['rev-parse', 'FETCH_HEAD'])).trim();
      await git(dir, ['checkout', '--quiet', '-B', 'export', baseCommit]);
    } else {
      await git(dir, ['checkout', '--quiet', '--orphan', 'export']);
    }
    const folder = join(dir, path);
    const existing: Existing = new Map();
    const listed = from ? await git(dir, ['ls-tree', 'HEAD', '--', `${path}/`]) : '';
    for (const line of listed.split('\n')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
      if (m?.[1] && m[2]) existing.set(m[2].slice(path.length + 1), m[1]);
    }
    const changes = await summarise(input.files, input.decisions, existing, (n) => readFile(join(folder, n), 'utf8'));
    const same = input.files.every((f) => existing.get(f.fileName) === gitBlobSha(f.content));
    if (same && !changes.removed.length) return { kind: 'unchanged', branch };
    await writeExport(folder, input.files);
    await git(dir, ['add', '--all', '--', path]);
    const subject = isEmpty(changes) ? 'Decision records: refresh' : `Decision records: ${headline(changes)}`;
    await git(dir, [
      '-c',
      `user.name=${author.name}`,
      '-c',
      `user.email=${author.email}`,
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      subject,
      '-m',
      `Exported by mesh-help for team ${input.teamId}.`,
    ]);
    const commit = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    try {
      await git(dir, ['push', '--quiet', '--', remote, `HEAD:refs/heads/${branch}`]);
    } catch (err) {
      const msg = gitMessage(err);
      if (/non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref/i.test(msg))
        throw new PublishError(
          'conflict',
          `The branch ${branch} changed on the remote while exporting; nothing was overwritten. Export again.`,
        );
      throw new PublishError('git-failed', `git push failed: ${msg}`);
    }
    return { kind: 'pushed', branch, commit, changes };
  } catch (err) {
    if (err instanceof PublishError) throw err;
    throw new PublishError('git-failed', `git failed: ${gitMessage(err)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

import type { Octokit } from '@octokit/rest';
import { type AdrFile, oneLine } from '../adr/index.js';
import { count } from '../domain/plural.js';
import type { Decision, TeamDoc } from '../store/schema.js';
import { type Changes, diffFiles, type Existing, headline, isEmpty, prBody, summarise } from './changes.js';
import { PublishError } from './errors.js';
import { DEFAULT_LIMITS, deadline, type ExportLimits, isDeadline, seconds } from './limits.js';
import { guardOwnership, type Ownership } from './ownership.js';
import type { RepoSpec } from './target.js';

/** How to reach GitHub: a token (PAT or App installation token) and, for GitHub Enterprise Server, its API URL. */
export type GitHubAccess = { token: string; apiUrl?: string | undefined };

/** A pull request this bot opened: its number and the head commit it wrote last. */
export type KnownPull = { number: number; head: string };

export type PublishInput = {
  repo: RepoSpec;
  /** The pull request this bot opened for the team in this repository, as recorded; absent: none. */
  known?: KnownPull | undefined;
  /** Which files in the folder this team's exports wrote (absent: none recorded yet). */
  ownership?: Ownership;
  /** Called once the recorded pull request's branch has moved to a commit this export wrote. */
  moved?: (pull: KnownPull) => Promise<void>;
  path: string;
  teamId: string;
  files: readonly AdrFile[];
  decisions: readonly Decision[];
  now: Date;
};

/** What an export did on GitHub. */
export type PrOutcome =
  | { kind: 'opened'; number: number; url: string; branch: string; head: string; changes: Changes }
  | { kind: 'updated'; number: number; url: string; branch: string; head: string; changes: Changes }
  | { kind: 'unchanged'; number?: number; url?: string; head?: string };

/** The pull request this bot recorded for `repo` in the team's document. */
export const knownPull = (doc: TeamDoc, repo: RepoSpec): KnownPull | undefined =>
  doc.exports?.pulls?.[`${repo.owner}/${repo.name}`];

/** Records the pull request this bot opened (or moved) in `repo`, in a draft of the team's document. */
export function rememberPull(doc: TeamDoc, repo: RepoSpec, pull: KnownPull): void {
  doc.exports = { ...doc.exports, pulls: { ...doc.exports?.pulls, [`${repo.owner}/${repo.name}`]: pull } };
}

/** The pull request to record after an export, so the next one updates it and only it; undefined: keep the record. */
export const pullToRecord = (done: PrOutcome): KnownPull | undefined =>
  done.number !== undefined && done.head !== undefined ? { number: done.number, head: done.head } : undefined;

/** Branches mesh-help opens for a team start with this (a recorded pull request's branch must, too). */
export const branchPrefix = (teamId: string): string => `mesh-help/decisions-${teamId}-`;

/** `mesh-help/decisions-T123-20261125-120000`: one branch per export that opens a PR. */
export function branchName(teamId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${branchPrefix(teamId)}${stamp}`;
}

type ApiError = { status?: number; response?: { headers?: Record<string, string | undefined> }; message?: string };

/** GitHub's answer as a PublishError that says what to do; the token never appears in it. */
export function githubError(err: unknown, repo: RepoSpec, step: string): PublishError {
  const e = err as ApiError;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const headers = e?.response?.headers ?? {};
  const full = `${repo.owner}/${repo.name}`;
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after']))) {
    const reset = Number(headers['x-ratelimit-reset']);
    const retryAfter = Number(headers['retry-after']);
    const when =
      Number.isFinite(reset) && reset > 0
        ? `after ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`
        : Number.isFinite(retryAfter) && retryAfter > 0
          ? `in ${count(Math.ceil(retryAfter / 60), 'minute')}`
          : 'in a few minutes';
    return new PublishError(
      'rate-limited',
      `GitHub’s rate limit for this token is used up; nothing was changed. Export again ${when}.`,
    );
  }
  if (status === 401)
    return new PublishError('no-access', 'GitHub refused the token (401). Check GITHUB_TOKEN where mesh-help runs.');
  if (status === 404)
    return new PublishError(
      'no-access',
      `GitHub has no repository ${full} that this token can see. Check the name, and that the token (or GitHub App) has access to it.`,
    );
  if (status === 403)
    return new PublishError(
      'no-access',
      `The token may read ${full} but not write to it (403 while ${step}). It needs Contents and Pull requests: read and write.`,
    );
  if (status === 409)
    return new PublishError('empty-repo', `${full} has no commits yet; push a first commit, then export again.`);
  if (status === 422 && /ref|branch|fast.forward/i.test(`${step} ${e?.message ?? ''}`))
    return new PublishError(
      'conflict',
      `The branch changed on GitHub while exporting (${step}: not a fast-forward); nothing was overwritten. Export again.`,
    );
  if (status === undefined || !e?.response)
    return new PublishError(
      'failed',
      `Could not reach GitHub while ${step} (${oneLine(e?.message ?? 'no answer')}). Check the network, and GITHUB_API_URL for GitHub Enterprise.`,
    );
  return new PublishError('failed', `GitHub answered ${status} while ${step}.`);
}

/** How long GitHub may take, and what stops the export early (the bot stopping). */
export type ClientBounds = { limits?: ExportLimits; signal?: AbortSignal };

/** The export's time ran out (or the bot is stopping): what the person is told. */
export function timedOut(limits: ExportLimits, stopped: boolean): PublishError {
  return stopped
    ? new PublishError(
        'timed-out',
        'The export was stopped (mesh-help is restarting); nothing more was changed. Export again in a minute.',
      )
    : new PublishError(
        'timed-out',
        `GitHub did not answer in time (mesh-help waits at most ${seconds(limits.callMs)} s a request and ${seconds(limits.totalMs)} s in all), so the export stopped. Try again later; an export that stopped part-way is completed by the next one.`,
      );
}

/** The longest rate-limit wait an export sits out; a longer one is told to the person instead. */
const MAX_RATE_WAIT_S = 15;

/** Retries a rate-limited request only once, and only when its short wait fits in the export's time left. */
const retryWithin =
  (whole: { deadline: number }) =>
  (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number): boolean =>
    retryCount < 1 && retryAfter <= MAX_RATE_WAIT_S && Date.now() + retryAfter * 1000 < whole.deadline;

/**
 * An Octokit client for the access, loaded on first use (an export to GitHub
 * is rare; the bot does not load Octokit until one happens). Rate limits and
 * transient failures go through @octokit/plugin-throttling and
 * @octokit/plugin-retry; every request, its retries and waits included, ends
 * within its own timeout (`limits.callMs`) and the export's. Octokit logs
 * nothing mesh-help does not pass on itself.
 */
export async function gitHubClient(
  access: GitHubAccess,
  warn: (msg: string) => void = () => undefined,
  bounds: ClientBounds = {},
): Promise<Octokit> {
  const limits = bounds.limits ?? DEFAULT_LIMITS;
  // The export's whole time starts with its client; its timer ends with the process's other timers.
  const whole = deadline(limits.totalMs, bounds.signal).signal;
  const ends = { deadline: Date.now() + limits.totalMs };
  const [{ Octokit: Rest }, { retry }, { throttling }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const Client = Rest.plugin(retry, throttling);
  const octokit: Octokit = new Client({
    auth: access.token,
    ...(access.apiUrl ? { baseUrl: access.apiUrl.replace(/\/+$/, '') } : {}),
    userAgent: 'mesh-help',
    // Failed requests become one PublishError message; Octokit's own error log would repeat them.
    log: { debug: () => undefined, info: () => undefined, warn, error: () => undefined },
    // Only passing failures (5xx, a dropped connection) are retried; rate limits are the throttle's (429, 403).
    retry: { retries: 2, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
    throttle: { onRateLimit: retryWithin(ends), onSecondaryRateLimit: retryWithin(ends) },
  });
  octokit.hook.wrap('request', async (request, options) => {
    const stopped = () => whole.aborted && !isDeadline(whole);
    if (whole.aborted) throw timedOut(limits, stopped());
    const call = deadline(limits.callMs, whole);
    // A wait inside the plugins (a retry's back-off, the throttle's queue) is cut as well as the fetch.
    const cut = new Promise<never>((_, reject) =>
      call.signal.addEventListener('abort', () => reject(timedOut(limits, stopped())), { once: true }),
    );
    cut.catch(() => undefined);
    try {
      // Hooks inside this one were bound to this very options object (before-after-hook): change it in place.
      options.request = { ...options.request, signal: call.signal };
      return await Promise.race([request(options), cut]);
    } catch (err) {
      if (call.signal.aborted) throw timedOut(limits, stopped());
      throw err;
    } finally {
      call.clear();
    }
  });
  return octokit;
}

/**
 * Opens a pull request with the team's records under `path`, or, when one of
 * this team's export PRs is still open, adds one commit to its branch and
 * rewrites its description. One commit made with the git data API (blobs,
 * tree, commit, ref); the ref moves only by fast-forward. Nothing is left
 * behind when a step fails before the pull request exists.
 */
export async function publishPullRequest(octokit: Octokit, input: PublishInput): Promise<PrOutcome> {
  const { repo, path, teamId, files } = input;
  const owner = repo.owner;
  const name = repo.name;
  let step = 'reading the repository';
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    step = what;
    return fn();
  };
  try {
    const { data: info } = await call('reading the repository', () => octokit.repos.get({ owner, repo: name }));
    if (info.permissions && !info.permissions.push)
      throw new PublishError(
        'no-access',
        `The token can read ${owner}/${name} but not push to it. It needs Contents and Pull requests: read and write.`,
      );
    const base = info.default_branch;
    const { data: pulls } = await call('listing open pull requests', () =>
      octokit.pulls.list({ owner, repo: name, state: 'open', per_page: 100 }),
    );
    // Only the pull request this bot opened, still at the commit it wrote: never one someone else opened from a
    // look-alike branch, nor one whose branch someone else has pushed to since (a new pull request is opened instead).
    const known = input.known;
    const open = known
      ? pulls.find(
          (p) =>
            p.number === known.number &&
            p.head.sha === known.head &&
            p.head.ref.startsWith(branchPrefix(teamId)) &&
            p.head.repo?.full_name === `${owner}/${name}`,
        )
      : undefined;

    const listing = async (ref: string): Promise<Existing> => {
      try {
        const { data } = await call(`reading ${path} on ${ref}`, () =>
          octokit.repos.getContent({ owner, repo: name, path, ref }),
        );
        const entries = Array.isArray(data) ? data : [];
        return new Map(entries.filter((e) => e.type === 'file').map((e) => [e.name, e.sha]));
      } catch (err) {
        if ((err as ApiError).status === 404) return new Map();
        throw err;
      }
    };
    const blobText = async (sha: string): Promise<string> => {
      const { data } = await call('reading an existing record', () =>
        octokit.git.getBlob({ owner, repo: name, file_sha: sha }),
      );
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    };

    const { data: baseRef } = await call(`reading branch ${base}`, () =>
      octokit.git.getRef({ owner, repo: name, ref: `heads/${base}` }),
    );
    const baseFiles = await listing(base);
    const headFiles = open ? await listing(open.head.ref) : baseFiles;
    const ownership = input.ownership ?? { written: new Set<string>(), legacy: true };
    const diff = diffFiles(files, headFiles);
    const { write } = diff;
    const remove = await guardOwnership(write, diff.remove, headFiles, ownership, blobText, {
      path,
      branch: open ? open.head.ref : base,
    });
    const changes = await summarise(files, input.decisions, baseFiles, (n) => blobText(baseFiles.get(n) ?? ''));
    // The description lists only the old names the pull request removes: files mesh-help did not write stay.
    changes.removed = await guardOwnership([], changes.removed, baseFiles, ownership, blobText, { path, branch: base });
    const body = prBody(teamId, path, changes);

    if (!write.length && !remove.length) {
      if (open && open.body !== body)
        await call('updating the pull request', () =>
          octokit.pulls.update({ owner, repo: name, pull_number: open.number, body }),
        );
      return open
        ? { kind: 'unchanged', number: open.number, url: open.html_url, head: open.head.sha }
        : { kind: 'unchanged' };
    }

    const parentSha = open ? open.head.sha : baseRef.object.sha;
    const { data: parent } = await call('reading the parent commit', () =>
      octokit.git.getCommit({ owner, repo: name, commit_sha: parentSha }),
    );
    // The files' contents go inline in one tree request (GitHub writes the blobs): one write for the whole
    // export, instead of one a file spaced a second apart as GitHub asks of content-creating requests.
    const { data: tree } = await call('writing the tree', () =>
      octokit.git.createTree({
        owner,
        repo: name,
        base_tree: parent.tree.sha,
        tree: [
          ...write.map((f) => ({
            path: `${path}/${f.fileName}`,
            mode: '100644' as const,
            type: 'blob' as const,
            content: f.content,
          })),
          ...remove.map((r) => ({ path: `${path}/${r}`, mode: '100644' as const, type: 'blob' as const, sha: null })),
        ],
      }),
    );
    const subject = isEmpty(changes) ? 'Decision records: refresh' : `Decision records: ${headline(changes)}`;
    const { data: commit } = await call('writing the commit', () =>
      octokit.git.createCommit({
        owner,
        repo: name,
        message: `${subject}\n\nExported by mesh-help for team ${teamId}.`,
        tree: tree.sha,
        parents: [parentSha],
      }),
    );

    if (open) {
      await call('moving the pull request’s branch', () =>
        octokit.git.updateRef({ owner, repo: name, ref: `heads/${open.head.ref}`, sha: commit.sha, force: false }),
      );
      // Its head is now a commit this bot wrote: recorded before anything else can fail, so the next export
      // still knows the pull request as its own.
      await input.moved?.({ number: open.number, head: commit.sha });
      await call('updating the pull request', () =>
        octokit.pulls.update({ owner, repo: name, pull_number: open.number, body }),
      );
      return {
        kind: 'updated',
        number: open.number,
        url: open.html_url,
        branch: open.head.ref,
        head: commit.sha,
        changes,
      };
    }

    const branch = branchName(teamId, input.now);
    await call('creating the branch', () =>
      octokit.git.createRef({ owner, repo: name, ref: `refs/heads/${branch}`, sha: commit.sha }),
    );
    try {
      const { data: pr } = await call('opening the pull request', () =>
        octokit.pulls.create({
          owner,
          repo: name,
          base,
          head: branch,
          title: `Decision records of team ${teamId} (mesh-help)`,
          body,
        }),
      );
      return { kind: 'opened', number: pr.number, url: pr.html_url, branch, head: commit.sha, changes };
    } catch (err) {
      // A branch without its pull request would be found by nobody: remove it (best effort) before reporting.
      await octokit.git.deleteRef({ owner, repo: name, ref: `heads/${branch}` }).catch(() => undefined);
      throw err;
    }
  } catch (err) {
    if (err instanceof PublishError) throw err;
    throw githubError(err, repo, step);
  }
}

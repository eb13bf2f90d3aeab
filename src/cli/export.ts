import { randomBytes, randomUUID } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import { z } from 'zod';
import { renderHtml } from '../adr/html.js';
import { AdrFormat, exportFiles, INDEX_FILE, topologySvgRenderer, writeExport } from '../adr/index.js';
import { ExportTimeout, GitHubApiUrl } from '../config.js';
import { count } from '../domain/plural.js';
import { getFlow } from '../engine/load.js';
import { EXIT_CODES, exitCodeOf } from '../errors.js';
import {
  BranchName,
  DEFAULT_LIMITS,
  DEFAULT_PATH,
  defaultGitBranch,
  FolderPath,
  firstIssue,
  gitHubClient,
  headline,
  knownPull,
  limitsWithin,
  ownershipOf,
  PublishError,
  publishPullRequest,
  pullToRecord,
  pushWithGit,
  RemoteUrl,
  RepoSpec,
  rememberPull,
  rememberWritten,
} from '../publish/index.js';
import { withExportLease } from '../team/export-lease.js';
import { sharedOnly } from '../team/visibility.js';
import type { Io } from './main.js';
import { openCliStore, storeLocation } from './store.js';

const NEEDS = 'export needs --out DIR, --pr OWNER/REPO, --git REMOTE_URL or --html FILE (where to put the records)';

const Team = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '--team: a team id is letters, digits, - and _ (at most 64)')
  .default('local');

/** Where one export goes: exactly one of the target flags. */
const Args = z
  .object({
    team: Team,
    out: z.string().trim().min(1, { error: NEEDS }).optional(),
    pr: RepoSpec.optional(),
    git: RemoteUrl.optional(),
    html: z.string().trim().min(1, { error: '--html needs a file name, e.g. decisions.html' }).optional(),
    path: FolderPath.optional(),
    branch: BranchName.optional(),
    format: z
      .enum(AdrFormat.options, { error: 'madr4 (the default: MADR 4 front matter) or log4brains (MADR 2 header list)' })
      .optional(),
  })
  .superRefine((a, ctx) => {
    const targets = [a.out, a.pr, a.git, a.html].filter((t) => t !== undefined).length;
    if (targets === 0) ctx.addIssue({ code: 'custom', message: NEEDS });
    if (targets > 1) ctx.addIssue({ code: 'custom', message: 'export takes one of --out, --pr, --git and --html' });
    if (a.path !== undefined && (a.out !== undefined || a.html !== undefined))
      ctx.addIssue({ code: 'custom', message: '--path goes with --pr or --git; --out already names the folder' });
    if (a.format !== undefined && a.html !== undefined)
      ctx.addIssue({ code: 'custom', message: '--format goes with --out, --pr or --git; --html writes one page' });
    if (a.branch !== undefined && a.git === undefined)
      ctx.addIssue({ code: 'custom', message: '--branch goes with --git (a pull request gets its own branch)' });
  });

const USAGE = `usage: mesh-help export [--team ID] [--format F] --out DIR
       mesh-help export [--team ID] [--format F] --pr OWNER/REPO [--path FOLDER]   (GITHUB_TOKEN; GITHUB_API_URL for Enterprise)
       mesh-help export [--team ID] [--format F] --git REMOTE_URL [--branch B] [--path FOLDER]
       mesh-help export [--team ID] --html FILE   one self-contained page, readable offline
  F: madr4 (the default; MADR 4 front matter: Backstage, adr-log) or log4brains (MADR 2 header list)`;

type Target =
  | { kind: 'folder'; dir: string }
  | { kind: 'html'; file: string }
  | { kind: 'pr'; repo: RepoSpec; path: string }
  | { kind: 'git'; remote: string; branch: string | undefined; path: string };

/** Writes through a temporary file and a rename, so a reader never opens half a page. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * `mesh-help export`: every ADR of the team and a README.md index, into a
 * folder, as a GitHub pull request, or pushed to a branch of any git remote.
 */
export async function exportCommand(args: string[], io: Io): Promise<number> {
  let values: unknown;
  try {
    values = parseArgs({
      args,
      options: {
        team: { type: 'string' },
        out: { type: 'string' },
        pr: { type: 'string' },
        git: { type: 'string' },
        html: { type: 'string' },
        path: { type: 'string' },
        branch: { type: 'string' },
        format: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    io.err(`mesh-help: ${(err as Error).message}\n${USAGE}`);
    return EXIT_CODES['cli.usage'];
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0] && issue.code !== 'custom' ? `--${String(issue.path[0])}: ` : '';
    io.err(`mesh-help: ${flag}${issue?.message}\n${USAGE}`);
    return EXIT_CODES['cli.usage'];
  }
  const a = parsed.data;
  const target: Target = a.pr
    ? { kind: 'pr', repo: a.pr, path: a.path ?? DEFAULT_PATH }
    : a.git
      ? { kind: 'git', remote: a.git, branch: a.branch, path: a.path ?? DEFAULT_PATH }
      : a.html
        ? { kind: 'html', file: resolve(a.html) }
        : { kind: 'folder', dir: resolve(a.out ?? '.') };
  const token = io.env.GITHUB_TOKEN?.trim();
  if (target.kind === 'pr' && !token) {
    io.err(
      'mesh-help: --pr needs a GitHub token in GITHUB_TOKEN (a fine-grained token or GitHub App installation token with Contents and Pull requests: read and write)',
    );
    return EXIT_CODES['cli.usage'];
  }
  const timeout = ExportTimeout.safeParse(io.env.MESH_HELP_EXPORT_TIMEOUT_S);
  if (!timeout.success) {
    io.err(`mesh-help: MESH_HELP_EXPORT_TIMEOUT_S ${firstIssue(timeout.error)}`);
    return EXIT_CODES['cli.usage'];
  }
  const limits = timeout.data ? limitsWithin(timeout.data * 1000) : DEFAULT_LIMITS;
  const apiUrl = GitHubApiUrl.safeParse(io.env.GITHUB_API_URL);
  if (target.kind === 'pr' && !apiUrl.success) {
    io.err(`mesh-help: GITHUB_API_URL ${firstIssue(apiUrl.error)}`);
    return EXIT_CODES['cli.usage'];
  }
  const team = a.team;
  const where = storeLocation(io.env).label;
  const store = await openCliStore(io.env);
  try {
    const flow = getFlow();
    const doc = await store.read(team);
    if (!doc.decisions.length) {
      io.err(`mesh-help: team ${team} has no decision records in ${where}; nothing to export`);
      return EXIT_CODES['cli.failed'];
    }
    // A page or a repository is outside every conversation: records of private channels and DMs stay out of it
    // (a folder written with --out is the operator's own copy and keeps every record, as before).
    const { shared, leftOut } =
      target.kind === 'folder' ? { shared: doc.decisions, leftOut: 0 } : sharedOnly(doc.decisions);
    if (leftOut)
      io.err(
        `mesh-help: ${count(leftOut, 'record')} from private channels or DMs left out; they stay in their conversation`,
      );
    if (!shared.length) {
      io.err(`mesh-help: team ${team} has no record from a public conversation; nothing to export`);
      return EXIT_CODES['cli.failed'];
    }
    const decisions = shared;
    const files = exportFiles(flow, team, decisions, a.format);
    // One export of a team at a time, whether Slack or this command asked (the lease in the team's document).
    const leased = async (work: () => Promise<number>): Promise<number> => {
      const done = await withExportLease(
        store,
        team,
        { id: randomUUID(), boot: `cli-${process.pid}` },
        { now: io.now(), ms: limits.totalMs },
        work,
        (m) => io.err(m),
      );
      if (done.ran) return done.value;
      io.err(
        `mesh-help: team ${team}'s records are being exported right now (from Slack or another mesh-help); export again once it has finished`,
      );
      return EXIT_CODES['cli.failed'];
    };
    return await match(target)
      .with({ kind: 'folder' }, async ({ dir }) => {
        await writeExport(dir, files);
        io.out(`Wrote ${count(files.length - 1, 'decision record')} and ${INDEX_FILE} for team ${team} to ${dir}.`);
        return 0;
      })
      .with({ kind: 'html' }, async ({ file }) => {
        await writeAtomically(
          file,
          renderHtml(flow, team, decisions, { topologySvg: await topologySvgRenderer(flow) }),
        );
        io.out(
          `Wrote ${count(decisions.length, 'decision record')} for team ${team} to ${file} (one page, no network needed).`,
        );
        return 0;
      })
      .with({ kind: 'pr' }, ({ repo, path }) =>
        leased(async () => {
          const octokit = await gitHubClient({ token: token ?? '', apiUrl: apiUrl.data }, undefined, { limits });
          const done = await publishPullRequest(octokit, {
            repo,
            known: knownPull(doc, repo),
            ownership: ownershipOf(doc),
            moved: (pull) => store.update(team, (d) => rememberPull(d, repo, pull)),
            path,
            teamId: team,
            files,
            decisions,
            now: io.now(),
          });
          const record = pullToRecord(done);
          await store.update(team, (d) => {
            if (record) rememberPull(d, repo, record);
            rememberWritten(d, files);
          });
          io.out(
            match(done)
              .with({ kind: 'opened' }, (d) => `Opened pull request #${d.number} (${headline(d.changes)}): ${d.url}`)
              .with({ kind: 'updated' }, (d) => `Updated pull request #${d.number} (${headline(d.changes)}): ${d.url}`)
              .with({ kind: 'unchanged' }, (d) =>
                d.url
                  ? `Pull request #${d.number} already holds these records: ${d.url}`
                  : `${repo.owner}/${repo.name} already holds these records in ${path}/; no pull request needed.`,
              )
              .exhaustive(),
          );
          return 0;
        }),
      )
      .with({ kind: 'git' }, ({ remote, branch, path }) =>
        leased(async () => {
          const b = branch ?? defaultGitBranch(team);
          const name = (io.env.GIT_AUTHOR_NAME ?? io.env.USER ?? '').trim();
          const email = (io.env.GIT_AUTHOR_EMAIL ?? '').trim();
          const done = await pushWithGit({
            remote,
            branch: b,
            path,
            teamId: team,
            files,
            decisions,
            now: io.now(),
            limits,
            ownership: ownershipOf(doc),
            ...(name && email ? { author: { name, email } } : {}),
          });
          await store.update(team, (d) => rememberWritten(d, files));
          io.out(
            done.kind === 'pushed'
              ? `Pushed ${done.commit.slice(0, 12)} (${headline(done.changes)}) to ${b}; ${count(files.length - 1, 'record')} in ${path}/.`
              : `Branch ${b} already holds these records in ${path}/; nothing pushed.`,
          );
          return 0;
        }),
      )
      .exhaustive();
  } catch (err) {
    const exitCode = exitCodeOf(err);
    if (exitCode !== undefined) {
      io.err(`mesh-help: ${(err as Error).message}`);
      // What git or GitHub said, for whoever runs the export and asks for it.
      const detail = err instanceof PublishError ? err.detail : undefined;
      if (detail && io.env.LOG_LEVEL?.trim().toLowerCase() === 'debug') io.err(`mesh-help: (${detail})`);
      return exitCode;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code && (target.kind === 'folder' || target.kind === 'html')) {
      const where = target.kind === 'folder' ? target.dir : target.file;
      io.err(`mesh-help: cannot write to ${where}: ${code} (${(err as Error).message})`);
      return EXIT_CODES['cli.failed'];
    }
    throw err;
  } finally {
    await store.close();
  }
}

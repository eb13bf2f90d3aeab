import { match } from 'ts-pattern';
import { exportFiles } from '../../adr/index.js';
import { count, pick } from '../../domain/plural.js';
import {
  DEFAULT_LIMITS,
  defaultGitBranch,
  gitHubClient,
  headline,
  knownPull,
  ownershipOf,
  PublishError,
  publishPullRequest,
  pullToRecord,
  pushWithGit,
  rememberPull,
  rememberWritten,
  slackRemoteRefusal,
  slackRepoRefusal,
} from '../../publish/index.js';
import type { TeamDoc } from '../../store/index.js';
import { withExportLease } from '../../team/export-lease.js';
import { sharedOnly } from '../../team/visibility.js';
import { context, type Message, section } from '../blocks/kit.js';
import { noticeMessage } from '../blocks/menu.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import { BOOT, isReplaying } from '../runtime/claims.js';
import type { SlackDeps } from '../runtime/context.js';
import { failureText } from '../runtime/failures.js';

/** A Slack link whose label and URL cannot break out of `<url|label>`. */
const link = (url: string, label: string): string =>
  /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url}|${escapeText(label)}>` : escapeText(`${label} (${url})`);

const NOT_SET = `This team has no repository to export to yet. \`${COMMAND} config repo OWNER/REPO [folder]\` sets a GitHub repository for pull requests; \`${COMMAND} config git REMOTE_URL [branch] [folder]\` sets any git remote.`;

/** The outcome, with how many records of private conversations were kept out of the repository. */
function withPrivateNote(m: Message, leftOut: number): Message {
  const note = `${count(leftOut, 'record')} from private channels or DMs ${pick(leftOut, 'was', 'were')} left out: they stay in their conversation.`;
  return { text: `${m.text} ${note}`, blocks: [...m.blocks, context(note)] };
}

/** Said when the team's export is already running (here, or on another replica). */
export const ALREADY_EXPORTING =
  'This team’s records are already being exported; you’ll see that export’s outcome. Export again once it has finished if anything changed since.';

/**
 * `/mesh-help export pr` and `export git`: the team's records as a GitHub pull
 * request (or a push to its git remote); the person who asked is told the
 * outcome. Exports run in their own lane (deps.exports), at most one per team,
 * each bounded in time; across replicas a lease in the team's document (not a
 * database lock held during the network calls) keeps a second one out.
 */
export async function publishFromSlack(
  deps: SlackDeps,
  input: { teamId: string; user: string; to: 'pr' | 'git'; request?: string | undefined },
): Promise<Message> {
  const limits = deps.exportLimits ?? DEFAULT_LIMITS;
  const ran = await deps.exports.run(input.teamId, (signal) => exportNow(deps, input, signal), limits.totalMs);
  return match(ran)
    .with({ kind: 'done' }, (r) => r.value)
    .with({ kind: 'already' }, () => noticeMessage(ALREADY_EXPORTING))
    .with({ kind: 'full' }, () =>
      noticeMessage('Many teams are exporting right now, so I did not start yours. Please try again in a minute.'),
    )
    .with({ kind: 'late' }, () =>
      noticeMessage(
        `Other exports held every export slot for ${Math.ceil(limits.totalMs / 1000)} s, so yours did not start. Please try again in a minute.`,
      ),
    )
    .with({ kind: 'stopping' }, () =>
      noticeMessage('I’m restarting, so the export did not run to the end. Please export again in a minute.'),
    )
    .exhaustive();
}

/** Runs `work` holding the team's export lease (src/team/export-lease.ts); "already exporting" otherwise. */
async function withLease(
  deps: SlackDeps,
  teamId: string,
  request: string | undefined,
  work: () => Promise<Message>,
): Promise<Message> {
  const limits = deps.exportLimits ?? DEFAULT_LIMITS;
  const done = await withExportLease(
    deps.store,
    teamId,
    { id: deps.newId(), boot: BOOT, request, replaying: isReplaying(request) },
    { now: deps.now(), ms: limits.totalMs },
    work,
    (m) => deps.logger.warn(m),
  );
  return done.ran ? done.value : noticeMessage(ALREADY_EXPORTING);
}

async function exportNow(
  deps: SlackDeps,
  input: { teamId: string; to: 'pr' | 'git'; request?: string | undefined },
  signal: AbortSignal,
): Promise<Message> {
  const all = await deps.store.read(input.teamId);
  // A repository is outside every conversation: records of private channels and DMs stay in Slack.
  const { shared, leftOut } = sharedOnly(all.decisions);
  const doc = { ...all, decisions: shared };
  if (!doc.decisions.length)
    return noticeMessage(
      leftOut
        ? `Every record of this team (${leftOut}) was made in a private channel or DM, and those stay in Slack: nothing to export to a repository.`
        : `No decisions to export yet. \`${COMMAND} start\` begins an interview; accepting its recommendation records the first one.`,
    );
  const { repo, gitRemote } = doc.config;
  const useGitHub = input.to === 'pr' && repo !== undefined;
  const noted = (m: Message): Message => (leftOut ? withPrivateNote(m, leftOut) : m);
  try {
    if (useGitHub)
      return await withLease(deps, input.teamId, input.request, async () =>
        noted(await toGitHub(deps, doc, input.teamId, signal)),
      );
    if (gitRemote)
      return await withLease(deps, input.teamId, input.request, async () =>
        noted(await toGit(deps, doc, input.teamId, signal)),
      );
    return noticeMessage(
      input.to === 'git'
        ? `This team has no git remote yet. \`${COMMAND} config git REMOTE_URL [branch] [folder]\` sets one.`
        : NOT_SET,
    );
  } catch (err) {
    if (!(err instanceof PublishError)) throw err;
    deps.logger.warn(
      `mesh-help: export for team ${input.teamId} failed: ${err.code}: ${err.message}${err.detail ? ` (${err.detail})` : ''}`,
    );
    return noticeMessage(`:warning: ${failureText(err)}`);
  }
}

/** Keeps what an export left behind (its pull request, the files it wrote) in the team's document; a failure is logged. */
async function remember(deps: SlackDeps, teamId: string, change: (doc: TeamDoc) => void): Promise<void> {
  await deps.store
    .update(teamId, change)
    .catch((err: Error) => deps.logger.warn(`mesh-help: could not record team ${teamId}’s export: ${err.message}`));
}

async function toGitHub(deps: SlackDeps, doc: TeamDoc, teamId: string, signal: AbortSignal): Promise<Message> {
  const repo = doc.config.repo;
  if (!repo) return noticeMessage(NOT_SET);
  if (!deps.github)
    return noticeMessage(
      'The bot has no GitHub token. Whoever runs it sets `GITHUB_TOKEN` (Contents and Pull requests: read and write) in its environment and restarts it.',
    );
  const refused = slackRepoRefusal(repo, deps.exportAllow);
  if (refused) return noticeMessage(`:warning: ${escapeText(refused)} Nothing was exported.`);
  const full = `${repo.owner}/${repo.name}`;
  const files = exportFiles(deps.flow, teamId, doc.decisions);
  const done = await publishPullRequest(
    await gitHubClient(deps.github, (m) => deps.logger.warn(m), {
      limits: deps.exportLimits ?? DEFAULT_LIMITS,
      signal,
    }),
    {
      repo,
      known: knownPull(doc, repo),
      path: repo.path,
      teamId,
      files,
      decisions: doc.decisions,
      now: deps.now(),
      ownership: ownershipOf(doc),
      moved: (pull) => remember(deps, teamId, (d) => rememberPull(d, repo, pull)),
    },
  );
  const record = pullToRecord(done);
  await remember(deps, teamId, (d) => {
    if (record) rememberPull(d, repo, record);
    rememberWritten(d, files);
  });
  const text = match(done)
    .with(
      { kind: 'opened' },
      (d) => `:arrow_heading_up: Opened ${link(d.url, `${full}#${d.number}`)}: ${escapeText(headline(d.changes))}.`,
    )
    .with(
      { kind: 'updated' },
      (d) =>
        `:arrow_heading_up: Updated the open pull request ${link(d.url, `${full}#${d.number}`)}: ${escapeText(headline(d.changes))}.`,
    )
    .with({ kind: 'unchanged' }, (d) =>
      d.url
        ? `Nothing new: ${link(d.url, `${full}#${d.number}`)} already holds these records.`
        : `Nothing new: ${escapeText(full)} already holds these records in \`${escapeText(repo.path)}/\`.`,
    )
    .exhaustive();
  return { text, blocks: [section(text)] };
}

async function toGit(deps: SlackDeps, doc: TeamDoc, teamId: string, signal: AbortSignal): Promise<Message> {
  const remote = doc.config.gitRemote;
  if (!remote) return noticeMessage(NOT_SET);
  const branch = remote.branch ?? defaultGitBranch(teamId);
  // Checked again at each export: the remote may have been set before these rules, or its address changed.
  const refused = await slackRemoteRefusal(remote.url, branch, deps.exportAllow);
  if (refused) return noticeMessage(`:warning: ${escapeText(refused)} Nothing was pushed.`);
  const files = exportFiles(deps.flow, teamId, doc.decisions);
  const done = await pushWithGit({
    remote: remote.url,
    branch,
    path: remote.path,
    teamId,
    files,
    decisions: doc.decisions,
    now: deps.now(),
    limits: deps.exportLimits ?? DEFAULT_LIMITS,
    signal,
    ownership: ownershipOf(doc),
  });
  await remember(deps, teamId, (d) => rememberWritten(d, files));
  const text =
    done.kind === 'pushed'
      ? `:arrow_heading_up: Pushed the decision records to \`${escapeText(branch)}\` of ${escapeText(remote.url)}: ${escapeText(headline(done.changes))}.`
      : `Nothing new: \`${escapeText(branch)}\` of ${escapeText(remote.url)} already holds these records.`;
  return { text, blocks: [section(text)] };
}

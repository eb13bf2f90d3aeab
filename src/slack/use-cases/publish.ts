import { match } from 'ts-pattern';
import { exportFiles } from '../../adr/index.js';
import {
  defaultGitBranch,
  gitHubClient,
  headline,
  PublishError,
  publishPullRequest,
  pushWithGit,
} from '../../publish/index.js';
import type { TeamDoc } from '../../store/index.js';
import { sharedOnly } from '../../team/visibility.js';
import { context, type Message, section } from '../blocks/kit.js';
import { noticeMessage } from '../blocks/menu.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import type { SlackDeps } from '../runtime/context.js';
import { failureText } from '../runtime/failures.js';

/** A Slack link whose label and URL cannot break out of `<url|label>`. */
const link = (url: string, label: string): string =>
  /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url}|${escapeText(label)}>` : escapeText(`${label} (${url})`);

const NOT_SET = `This team has no repository to export to yet. \`${COMMAND} config repo OWNER/REPO [folder]\` sets a GitHub repository for pull requests; \`${COMMAND} config git REMOTE_URL [branch] [folder]\` sets any git remote.`;

/** The outcome, with how many records of private conversations were kept out of the repository. */
function withPrivateNote(m: Message, leftOut: number): Message {
  const note = `${leftOut} record(s) from private channels or DMs were left out: they stay in their conversation.`;
  return { text: `${m.text} ${note}`, blocks: [...m.blocks, context(note)] };
}

/**
 * `/mesh-help export pr` and `export git`: the team's records as a GitHub pull
 * request (or a push to its git remote); the person who asked is told the
 * outcome. One export per team at a time, so two clicks cannot open two PRs.
 */
export async function publishFromSlack(
  deps: SlackDeps,
  input: { teamId: string; user: string; to: 'pr' | 'git' },
): Promise<Message> {
  return deps.effects.run(`export:${input.teamId}`, async () => {
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
      if (useGitHub) return noted(await toGitHub(deps, doc, input.teamId));
      if (gitRemote) return noted(await toGit(deps, doc, input.teamId));
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
  });
}

async function toGitHub(deps: SlackDeps, doc: TeamDoc, teamId: string): Promise<Message> {
  const repo = doc.config.repo;
  if (!repo) return noticeMessage(NOT_SET);
  if (!deps.github)
    return noticeMessage(
      'The bot has no GitHub token. Whoever runs it sets `GITHUB_TOKEN` (Contents and Pull requests: read and write) in its environment and restarts it.',
    );
  const full = `${repo.owner}/${repo.name}`;
  const done = await publishPullRequest(
    gitHubClient(deps.github, (m) => deps.logger.warn(m)),
    {
      repo,
      path: repo.path,
      teamId,
      files: exportFiles(deps.flow, teamId, doc.decisions),
      decisions: doc.decisions,
      now: deps.now(),
    },
  );
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

async function toGit(deps: SlackDeps, doc: TeamDoc, teamId: string): Promise<Message> {
  const remote = doc.config.gitRemote;
  if (!remote) return noticeMessage(NOT_SET);
  const branch = remote.branch ?? defaultGitBranch(teamId);
  const done = await pushWithGit({
    remote: remote.url,
    branch,
    path: remote.path,
    teamId,
    files: exportFiles(deps.flow, teamId, doc.decisions),
    decisions: doc.decisions,
  });
  const text =
    done.kind === 'pushed'
      ? `:arrow_heading_up: Pushed the decision records to \`${escapeText(branch)}\` of ${escapeText(remote.url)}: ${escapeText(headline(done.changes))}.`
      : `Nothing new: \`${escapeText(branch)}\` of ${escapeText(remote.url)} already holds these records.`;
  return { text, blocks: [section(text)] };
}

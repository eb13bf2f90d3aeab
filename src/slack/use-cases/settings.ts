import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { abandonAfterDays, openLimits } from '../../domain/limits.js';
import { count } from '../../domain/plural.js';
import { DEFAULT_ZONE } from '../../domain/time.js';
import { slackRemoteRefusal, slackRepoRefusal } from '../../publish/index.js';
import type { GitTarget, RuleChange, TeamConfig, TeamDoc } from '../../store/index.js';
import {
  DEFAULT_EDITORS,
  editorsOf,
  mayChangeRules,
  needsAdminCheck,
  ownersOf,
  recordRuleChange,
} from '../../team/governance.js';
import { configMessage } from '../blocks/config.js';
import { channelRef, type Message, who } from '../blocks/kit.js';
import { noticeMessage } from '../blocks/menu.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import type { ConfigChange } from '../listeners/commands/parse.js';
import type { SlackDeps } from '../runtime/context.js';
import { plainSlackProblem, slackError } from '../runtime/failures.js';

export const CONFIG_FOREIGN =
  'These settings belong to the workspace mesh-help is installed in; only its members can change them.';

/** Whether Slack says this person administers or owns the workspace (users.info, `users:read`). */
export async function isWorkspaceAdmin(client: WebClient, user: string): Promise<boolean> {
  const info = await client.users.info({ user });
  const u = info.user;
  return Boolean(u && (u.is_admin || u.is_owner || u.is_primary_owner));
}

const whoMay = (config: TeamConfig): string =>
  match(editorsOf(config))
    .with('anyone', () => 'anyone in this workspace')
    .with('owners', () => 'this team’s owners')
    .with('admins', () => 'workspace admins')
    .with('admins-and-owners', () => 'workspace admins and this team’s owners')
    .exhaustive();

export const refusedText = (config: TeamConfig): string => {
  const owners = ownersOf(config);
  return `Only ${whoMay(config)} can change these settings${
    owners.length ? ` (owners: ${owners.map(who).join(', ')})` : ''
  }. Nothing was changed.`;
};

type Edit = { setting: string; from: string; to: string; apply: (c: TeamConfig, user: string) => void; said: string };

const gitLabel = (g: GitTarget): string => `${g.url} ${g.branch ?? '(default branch)'} ${g.path}`;

const people = (ids: string[]) => (ids.length ? ids.join(' ') : 'none');

function editOf(
  change: Exclude<ConfigChange, { kind: 'show' } | { kind: 'form' } | { kind: 'bad' }>,
  config: TeamConfig,
  user: string,
): Edit {
  return match(change)
    .with({ kind: 'channel' }, (c) => ({
      setting: 'decisions channel',
      from: config.decisionsChannel ?? 'none',
      to: c.channel,
      apply: (cfg: TeamConfig) => {
        cfg.decisionsChannel = c.channel;
      },
      said: `Accepted decisions will also be posted in ${channelRef(c.channel)}.`,
    }))
    .with({ kind: 'channel-off' }, () => ({
      setting: 'decisions channel',
      from: config.decisionsChannel ?? 'none',
      to: 'none',
      apply: (cfg: TeamConfig) => {
        delete cfg.decisionsChannel;
      },
      said: 'Accepted decisions are posted only where they were made.',
    }))
    .with({ kind: 'approvals' }, (c) => ({
      setting: 'approvals',
      from: String(config.approvals),
      to: String(c.count),
      apply: (cfg: TeamConfig) => {
        cfg.approvals = c.count;
      },
      said: c.count
        ? `A recommendation now needs ${count(c.count, 'approval')} from different people before it can be accepted.`
        : 'Approvals are no longer required: anyone in the channel can accept.',
    }))
    .with({ kind: 'deadline' }, (c) => ({
      setting: 'deadline',
      from: config.deadlineDays ? `${config.deadlineDays}d` : 'none',
      to: c.days ? `${c.days}d` : 'none',
      apply: (cfg: TeamConfig) => {
        if (c.days) cfg.deadlineDays = c.days;
        else delete cfg.deadlineDays;
      },
      said: c.days
        ? `New recommendations must be decided within ${count(c.days, 'day')}: I remind the thread once a working day, then accept (enough approvals, no open concern) or let it expire.`
        : 'Recommendations have no deadline any more.',
    }))
    .with({ kind: 'repo' }, (c) => ({
      setting: 'GitHub repository',
      from: config.repo ? `${config.repo.owner}/${config.repo.name} ${config.repo.path}` : 'none',
      to: `${c.repo.owner}/${c.repo.name} ${c.repo.path}`,
      apply: (cfg: TeamConfig) => {
        cfg.repo = c.repo;
      },
      said: `\`${COMMAND} export pr\` now opens a pull request on ${escapeText(`${c.repo.owner}/${c.repo.name}`)} with the records in \`${escapeText(c.repo.path)}/\`.`,
    }))
    .with({ kind: 'repo-off' }, () => ({
      setting: 'GitHub repository',
      from: config.repo ? `${config.repo.owner}/${config.repo.name} ${config.repo.path}` : 'none',
      to: 'none',
      apply: (cfg: TeamConfig) => {
        delete cfg.repo;
      },
      said: 'No GitHub repository is set any more.',
    }))
    .with({ kind: 'git' }, (c) => ({
      setting: 'git remote',
      from: config.gitRemote ? gitLabel(config.gitRemote) : 'none',
      to: gitLabel(c.git),
      apply: (cfg: TeamConfig) => {
        cfg.gitRemote = c.git;
      },
      said: `\`${COMMAND} export git\` now pushes the records to ${escapeText(c.git.url)} (branch \`${escapeText(c.git.branch ?? 'mesh-help/decisions-<team>')}\`, folder \`${escapeText(c.git.path)}/\`).`,
    }))
    .with({ kind: 'git-off' }, () => ({
      setting: 'git remote',
      from: config.gitRemote ? gitLabel(config.gitRemote) : 'none',
      to: 'none',
      apply: (cfg: TeamConfig) => {
        delete cfg.gitRemote;
      },
      said: 'No git remote is set any more.',
    }))
    .with({ kind: 'owners' }, (c) => {
      // The first person to name owners becomes one, so the team is never left without one by its founder.
      const users =
        c.users.length && ownersOf(config).length === 0 && !c.users.includes(user) ? [user, ...c.users] : c.users;
      return {
        setting: 'owners',
        from: people(ownersOf(config)),
        to: people(users),
        apply: (cfg: TeamConfig) => {
          if (users.length) cfg.owners = users;
          else delete cfg.owners;
        },
        said: users.length
          ? `This team’s owners are now ${users.map(who).join(', ')}.`
          : 'This team has no named owners now.',
      };
    })
    .with({ kind: 'approvers' }, (c) => ({
      setting: 'required approvers',
      from: people(config.approvers ?? []),
      to: people(c.users),
      apply: (cfg: TeamConfig) => {
        if (c.users.length) cfg.approvers = c.users;
        else delete cfg.approvers;
      },
      said: c.users.length
        ? `A recommendation now needs the approval of ${c.users.map(who).join(', ')}; deadline reminders name whoever has not approved yet.`
        : 'No approvers are required by name any more.',
    }))
    .with({ kind: 'editors' }, (c) => ({
      setting: 'editors',
      from: editorsOf(config),
      to: c.editors,
      apply: (cfg: TeamConfig) => {
        if (c.editors === DEFAULT_EDITORS) delete cfg.editors;
        else cfg.editors = c.editors;
      },
      said: `From now on ${whoMay({ ...config, editors: c.editors })} can change these settings.`,
    }))
    .with({ kind: 'abandon' }, (c) => ({
      setting: 'abandon after',
      from: abandonAfterDays(config) ? `${abandonAfterDays(config)}d` : 'never',
      to: c.days ? `${c.days}d` : 'never',
      apply: (cfg: TeamConfig) => {
        cfg.abandonAfterDays = c.days;
      },
      said: c.days
        ? `An interview without a deadline that nobody answers or decides for ${count(c.days, 'day')} is closed, and its channel can start a new one.`
        : 'Silent interviews stay open until someone finishes them.',
    }))
    .with({ kind: 'timezone' }, (c) => ({
      setting: 'time zone',
      from: config.timezone ?? DEFAULT_ZONE,
      to: c.zone ?? DEFAULT_ZONE,
      apply: (cfg: TeamConfig) => {
        if (c.zone) cfg.timezone = c.zone;
        else delete cfg.timezone;
      },
      said: `Dates the whole channel reads, and the working days of deadline reminders, now follow ${escapeText(c.zone ?? DEFAULT_ZONE)}.`,
    }))
    .with({ kind: 'limits' }, (c) => ({
      setting: 'open interview limits',
      from: `${openLimits(config).perChannel}/${openLimits(config).perTeam}`,
      to: `${c.perChannel}/${c.perTeam}`,
      apply: (cfg: TeamConfig) => {
        cfg.maxOpenPerChannel = c.perChannel;
        cfg.maxOpenPerTeam = c.perTeam;
      },
      said: `At most ${count(c.perChannel, 'open interview')} per channel and ${c.perTeam} in the team.`,
    }))
    .exhaustive();
}

/** A change that would leave nobody able to change the rules again, explained; undefined when it is fine. */
function lockOut(config: TeamConfig, change: ConfigChange): string | undefined {
  const owners = change.kind === 'owners' ? change.users : ownersOf(config);
  const editors = change.kind === 'editors' ? change.editors : editorsOf(config);
  return editors === 'owners' && owners.length === 0
    ? 'Name the owners first (`config owners @a @b`): with no owners, nobody could change these settings.'
    : undefined;
}

/** What came of one settings change: saved (with what it means), or refused or unreadable (nothing written). */
export type ConfigOutcome = { kind: 'saved'; config: TeamConfig; said: string } | { kind: 'refused'; text: string };

/**
 * One settings change for the team, from the text command or the form alike.
 * Who may change the settings is itself a setting (workspace admins and the
 * team's named owners by default); each change is kept in the team's history.
 * Refusals write nothing; a workspace other than the bot's own changes nothing.
 */
export async function changeConfig(
  deps: SlackDeps,
  client: WebClient,
  input: { teamId: string; user: string; change: Exclude<ConfigChange, { kind: 'show' } | { kind: 'form' }> },
): Promise<ConfigOutcome> {
  const { teamId, user, change } = input;
  if (change.kind === 'bad') return { kind: 'refused', text: change.message };
  if (teamId !== (deps.homeTeamId ?? teamId)) return { kind: 'refused', text: CONFIG_FOREIGN };
  // An export target set here is one Slack may push to: refused now, not at the first export.
  const destination =
    change.kind === 'git'
      ? await slackRemoteRefusal(change.git.url, change.git.branch, deps.exportAllow, { unresolved: 'pass' })
      : change.kind === 'repo'
        ? slackRepoRefusal(change.repo, deps.exportAllow)
        : undefined;
  if (destination) return { kind: 'refused', text: `${escapeText(destination)} Nothing was changed.` };
  const before = (await deps.store.read(teamId)).config;
  let isAdmin = false;
  if (needsAdminCheck(before, user) && !mayChangeRules(before, { user, isAdmin: false }, change.kind === 'owners')) {
    try {
      isAdmin = await isWorkspaceAdmin(client, user);
    } catch (err) {
      deps.logger.warn(`mesh-help: users.info failed while checking who may change settings: ${slackError(err)}`);
      return {
        kind: 'refused',
        text: `I could not check whether you administer this workspace (${plainSlackProblem(slackError(err))}), so nothing was changed. Please try again later.`,
      };
    }
  }
  return deps.store.update(teamId, (doc: TeamDoc): ConfigOutcome => {
    const config = doc.config;
    if (!mayChangeRules(config, { user, isAdmin }, change.kind === 'owners')) {
      return { kind: 'refused', text: refusedText(config) };
    }
    const locked = lockOut(config, change);
    if (locked) return { kind: 'refused', text: locked };
    const edit = editOf(change, config, user);
    edit.apply(config, user);
    if (edit.from !== edit.to) {
      const entry: RuleChange = {
        at: deps.now().toISOString(),
        by: user,
        setting: edit.setting,
        from: edit.from,
        to: edit.to,
      };
      recordRuleChange(doc, entry);
    }
    return { kind: 'saved', config: doc.config, said: edit.said };
  });
}

/** `/mesh-help config …` for the team the command came from: the settings, or one change and what it means. */
export async function configFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: { teamId: string; user: string; change: ConfigChange },
): Promise<Message> {
  const { change } = input;
  if (change.kind === 'show' || change.kind === 'form') {
    return configMessage((await deps.store.read(input.teamId)).config);
  }
  const outcome = await changeConfig(deps, client, { ...input, change });
  return outcome.kind === 'refused' ? noticeMessage(outcome.text) : configMessage(outcome.config, outcome.said);
}

import { match } from 'ts-pattern';
import type { TeamConfig } from '../store/index.js';
import { configMessage } from './blocks/config.js';
import { channelRef, type Message } from './blocks/kit.js';
import { noticeMessage } from './blocks/menu.js';
import type { ConfigChange } from './commands.js';
import type { SlackDeps } from './context.js';
import { escapeText } from './escape.js';
import { COMMAND } from './ids.js';

export const CONFIG_FOREIGN =
  'These settings belong to the workspace mesh-help is installed in; only its members can change them.';

/**
 * `/mesh-help config …` for the team the command came from. Changes are
 * refused (nothing written) for a workspace other than the bot's own.
 */
export async function configFromSlack(
  deps: SlackDeps,
  input: { teamId: string; change: ConfigChange },
): Promise<Message> {
  const { teamId, change } = input;
  const owner = deps.homeTeamId ?? teamId;
  const set = async (edit: (c: TeamConfig) => void, said: string) => {
    if (teamId !== owner) return noticeMessage(CONFIG_FOREIGN);
    const config = await deps.store.update(teamId, (doc) => {
      edit(doc.config);
      return doc.config;
    });
    return configMessage(config, said);
  };
  return match(change)
    .with({ kind: 'show' }, async () => configMessage((await deps.store.read(teamId)).config))
    .with({ kind: 'bad' }, async (c) => noticeMessage(c.message))
    .with({ kind: 'channel' }, (c) =>
      set(
        (cfg) => {
          cfg.decisionsChannel = c.channel;
        },
        `Accepted decisions will also be posted in ${channelRef(c.channel)}.`,
      ),
    )
    .with({ kind: 'channel-off' }, () =>
      set((cfg) => {
        delete cfg.decisionsChannel;
      }, 'Accepted decisions are posted only where they were made.'),
    )
    .with({ kind: 'approvals' }, (c) =>
      set(
        (cfg) => {
          cfg.approvals = c.count;
        },
        c.count
          ? `A recommendation now needs ${c.count} approval(s) from different people before it can be accepted.`
          : 'Approvals are no longer required: anyone in the channel can accept.',
      ),
    )
    .with({ kind: 'deadline' }, (c) =>
      set(
        (cfg) => {
          if (c.days) cfg.deadlineDays = c.days;
          else delete cfg.deadlineDays;
        },
        c.days
          ? `New recommendations must be decided within ${c.days} day(s): I remind the thread once a working day, then accept (enough approvals, no open concern) or let it expire.`
          : 'Recommendations have no deadline any more.',
      ),
    )
    .with({ kind: 'repo' }, (c) =>
      set(
        (cfg) => {
          cfg.repo = c.repo;
        },
        `\`${COMMAND} export pr\` now opens a pull request on ${escapeText(`${c.repo.owner}/${c.repo.name}`)} with the records in \`${escapeText(c.repo.path)}/\`.`,
      ),
    )
    .with({ kind: 'repo-off' }, () =>
      set((cfg) => {
        delete cfg.repo;
      }, 'No GitHub repository is set any more.'),
    )
    .with({ kind: 'git' }, (c) =>
      set(
        (cfg) => {
          cfg.gitRemote = c.git;
        },
        `\`${COMMAND} export git\` now pushes the records to ${escapeText(c.git.url)} (branch \`${escapeText(c.git.branch ?? 'mesh-help/decisions-<team>')}\`, folder \`${escapeText(c.git.path)}/\`).`,
      ),
    )
    .with({ kind: 'git-off' }, () =>
      set((cfg) => {
        delete cfg.gitRemote;
      }, 'No git remote is set any more.'),
    )
    .exhaustive();
}

import { abandonAfterDays, openLimits } from '../../domain/limits.js';
import type { TeamConfig } from '../../domain/model.js';
import { count } from '../../domain/plural.js';
import { describeRuleChange, editorsOf, ownersOf } from '../../team/governance.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import { channelRef, context, fields, header, type Message, section, who } from './kit.js';

/** How many recent rule changes the settings message shows. */
const RECENT_CHANGES = 5;

/** `/mesh-help config`: the team's settings and how to change them; `changed` leads when one was just saved. */
export function configMessage(config: TeamConfig, changed?: string): Message {
  const channel = config.decisionsChannel ? channelRef(config.decisionsChannel) : 'none';
  const approvals =
    config.approvals > 0
      ? `${config.approvals} from different people before a recommendation can be accepted`
      : 'none: anyone in the channel can accept';
  const owners = ownersOf(config);
  const limits = openLimits(config);
  const recent = (config.history ?? []).slice(-RECENT_CHANGES).reverse();
  return {
    text: changed ?? `mesh-help settings: decisions channel ${channel}, approvals ${config.approvals}`,
    blocks: [
      ...(changed ? [section(`:white_check_mark: ${changed}`)] : [header('mesh-help settings')]),
      fields([
        `*Decisions channel*\n${channel}`,
        `*Approvals needed*\n${approvals}`,
        `*Deadline*\n${config.deadlineDays ? `${count(config.deadlineDays, 'day')} after the recommendation` : 'none'}`,
        `*GitHub repository*\n${config.repo ? `${escapeText(`${config.repo.owner}/${config.repo.name}`)}, \`${escapeText(config.repo.path)}/\`` : 'none'}`,
        `*Git remote*\n${config.gitRemote ? `${escapeText(config.gitRemote.url)}, \`${escapeText(config.gitRemote.path)}/\`` : 'none'}`,
        `*Required approvers*\n${config.approvers?.length ? config.approvers.map(who).join(', ') : 'none named'}`,
        `*Owners*\n${owners.length ? owners.map(who).join(', ') : 'none named yet'}`,
        `*Who may change settings*\n\`${editorsOf(config)}\``,
        `*Time zone*\n${escapeText(config.timezone ?? 'UTC')} (dates and working days the channel reads)`,
        `*Open interviews*\nat most ${limits.perChannel} per channel, ${limits.perTeam} in the team; ${abandonAfterDays(config) ? `closed after ${count(abandonAfterDays(config), 'silent day')}` : 'never closed for silence'}`,
      ]),
      ...(recent.length
        ? [
            context(
              `Recent changes: ${recent.map((c) => describeRuleChange({ ...c, from: escapeText(c.from), to: escapeText(c.to) }, who)).join('; ')}`,
            ),
          ]
        : []),
      context(
        `\`${COMMAND} config channel #name\` (or \`none\`) also posts every accepted decision there; invite @mesh-help to it. \`${COMMAND} config approvals N\` (0–10) asks for N approvals first; \`config approvers @a @b\` requires those people's approval. \`${COMMAND} config deadline 5d\` (or \`none\`) gives recommendations a deadline. \`${COMMAND} config repo OWNER/REPO [folder]\` lets \`export pr\` open pull requests; \`${COMMAND} config git REMOTE_URL [branch] [folder]\` lets \`export git\` push anywhere. \`${COMMAND} config owners @a @b\` names the team's owners (the first person to name them becomes one), \`config editors admins-and-owners|owners|admins|anyone\` says who may change settings, \`config limits N M\` bounds open interviews per channel and per team, \`config abandon 30d\` (or \`never\`) closes interviews nobody touched for that long. Only members of this workspace can change them.`,
      ),
    ],
  };
}

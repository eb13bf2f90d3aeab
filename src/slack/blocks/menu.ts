import type { Flow } from '../../engine/flow.js';
import { escapeText } from '../escape.js';
import { ACTIONS, COMMAND } from '../ids.js';
import { actions, button, context, type Message, section } from './kit.js';

/** The subcommands, in the order help lists them. */
export const SUBCOMMANDS = ['start', 'resume', 'compare', 'decisions', 'export', 'config', 'help'] as const;

function usageLines(flow: Flow): string[] {
  return [
    `\`${COMMAND}\`: the menu`,
    `\`${COMMAND} start [title]\`: start an interview in this channel; it runs in a thread and anyone here can answer`,
    `\`${COMMAND} compare [pattern…]\`: patterns side by side, posted in the channel (${flow.patterns.map((p) => `\`${p.id}\``).join(', ')})`,
    `\`${COMMAND} start revisit ADR-0003 [title]\`: a new interview that revisits an accepted decision; accepting it supersedes that record`,
    `\`${COMMAND} start [title] scope: prod-eu, staging\`: the same, for a decision that covers those clusters or environments`,
    `\`${COMMAND} resume\`: post what a failed step left out in this channel’s open interview (the next question or the recommendation)`,
    `\`${COMMAND} decisions\`: this team’s decision log, only for you`,
    `\`${COMMAND} decisions all [status:… pattern:… tool:… team:… scope:…]\`: every team’s decisions, with conflicts on shared clusters flagged`,
    `\`${COMMAND} export\`: upload every decision as an ADR file (MADR) plus a README.md index, in a thread here`,
    `\`${COMMAND} export pr\`: open (or update) a pull request with those files on the team’s GitHub repository; \`export git\` pushes them to the team’s git remote`,
    `\`${COMMAND} config\`: the settings; \`config channel #name\` (or \`none\`) also posts accepted decisions there, \`config approvals N\` (0–10) asks for N approvals before accepting, \`config deadline 5d\` gives recommendations a deadline, \`config repo OWNER/REPO [folder]\` and \`config git REMOTE_URL [branch] [folder]\` say where exports go, \`config owners @a @b\` names who may change settings (with workspace admins), \`config editors …\`, \`config limits N M\` and \`config abandon 30d\``,
    `\`${COMMAND} help\`: this help`,
  ];
}

/** `/mesh-help` alone: what the bot can do, as buttons. */
export function menuMessage(): Message {
  return {
    text: 'mesh-help: start an interview, compare patterns, see our decisions, export or get help.',
    blocks: [
      section(
        '*mesh-help* settles service mesh vs cluster mesh vs federation, problem first. What would you like to do?',
      ),
      actions('menu', [
        button('Start an interview', ACTIONS.menuStart, 'start', 'primary'),
        button('Compare patterns', ACTIONS.menuCompare, 'compare'),
        button('Our decisions', ACTIONS.menuDecisions, 'decisions'),
        button('Export', ACTIONS.menuExport, 'export'),
        button('Help', ACTIONS.menuHelp, 'help'),
      ]),
      context(`Or type \`${COMMAND} help\` for the commands.`),
    ],
  };
}

/** Help, optionally after an unknown subcommand with the closest known one. */
export function helpMessage(flow: Flow, unknown?: { given: string; suggestion?: string }): Message {
  const lead = unknown
    ? `I don’t know \`${escapeText(unknown.given)}\`.${unknown.suggestion ? ` Did you mean \`${COMMAND} ${unknown.suggestion}\`?` : ''}`
    : '*mesh-help*: service mesh, cluster mesh, federation or none, decided problem first.';
  return {
    text: unknown
      ? `Unknown command "${escapeText(unknown.given)}". ${COMMAND} help lists the commands.`
      : 'mesh-help commands',
    blocks: [section(lead), section(usageLines(flow).join('\n'))],
  };
}

/** A short ephemeral error or notice. */
export function noticeMessage(text: string): Message {
  return { text, blocks: [section(text)] };
}

import type { Flow } from '../../engine/flow.js';
import { escapeText } from '../escape.js';
import { ACTIONS, COMMAND } from '../ids.js';
import { actions, button, context, type Message, section } from './kit.js';

/** The subcommands, in the order help lists them. */
export const SUBCOMMANDS = ['start', 'resume', 'compare', 'decisions', 'export', 'config', 'help'] as const;

/** One short line a command: what to type, then what it does. */
function usageLines(): string[] {
  const line = (cmd: string, what: string) => `• \`${COMMAND}${cmd ? ` ${cmd}` : ''}\` ${what}`;
  return [
    line('start [title]', 'an interview in this channel’s thread'),
    line('compare', 'the patterns side by side'),
    line('decisions', 'your team’s decisions (add *all* for every team’s)'),
    line('export', 'the ADR files here (*export pr*: a pull request)'),
    line('config', 'the settings'),
    line('resume', 'what a failed step left out'),
    line('help', 'this list'),
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
    blocks: [
      section(lead),
      section(usageLines().join('\n')),
      context(
        `Patterns: ${flow.patterns.map((p) => p.name).join(', ')}. Every command and option: the README’s “In Slack”.`,
      ),
    ],
  };
}

/** A short ephemeral error or notice. */
export function noticeMessage(text: string): Message {
  return { text, blocks: [section(text)] };
}

import { wrap } from './render.js';

/** What `mesh-help CMD --help` says about one command. */
export type CommandHelp = {
  name: string;
  /** One line for the top-level list. */
  summary: string;
  usage: string[];
  description?: string;
  /** Flag (with its value's name) and what it does. */
  options?: [string, string][];
  examples?: string[];
};

const TEAM: [string, string] = [
  '--team ID',
  'the team whose log it is (default local; a Slack team id for a bot’s team)',
];
const BY: [string, string] = ['--by NAME', 'who decides, as records and ADRs name them (default: your OS user name)'];

/** Every command, in the order the top-level help lists them. */
export const COMMANDS: readonly CommandHelp[] = [
  {
    name: 'interview',
    summary: 'answer the questions, see the recommendation, save it as a decision record',
    usage: [
      'mesh-help interview [--answers FILE] [--team ID] [--title TEXT] [--accept] [--revisits N] [--by NAME] [--scope TAGS]',
      'mesh-help interview --resume | --fresh',
    ],
    description:
      'Asks about what hurts in a terminal (or reads the answers from a JSON file), prints what to do on top and the details below, and saves the record as proposed (or accepted with --accept). An interview cut off (Ctrl-C, end of input) keeps its answers: the next `mesh-help interview` offers to resume it.',
    options: [
      ['--answers FILE', 'a JSON object of question id to option id, instead of asking'],
      TEAM,
      ['--title TEXT', 'the record’s title (default: one that follows the recommendation)'],
      ['--accept', 'save the record accepted rather than proposed'],
      ['--revisits N', 'this record revisits ADR-N: accepting it supersedes ADR-N'],
      BY,
      ['--scope TAGS', 'clusters or environments the decision covers, comma-separated (prod-eu,prod-us)'],
      ['--resume', 'go on with the interview left unfinished, without asking'],
      ['--fresh', 'start again, dropping the unfinished interview'],
    ],
    examples: ['mesh-help interview', 'mesh-help interview --answers answers.json --accept --by "Ada Lovelace"'],
  },
  {
    name: 'recommend',
    summary: 'the recommendation for an answers file, as text or contract JSON',
    usage: ['mesh-help recommend --answers FILE [--json] [--diagram out.svg|out.png]'],
    options: [
      ['--answers FILE', 'a JSON object of question id to option id'],
      ['--json', 'the recommendation as contract JSON instead of text'],
      ['--diagram FILE', 'also draw the recommended topology, as SVG or PNG by the file’s extension'],
    ],
  },
  {
    name: 'decide',
    summary: 'accept, reject, deprecate, reopen or supersede a record, as its Slack card does',
    usage: [
      'mesh-help decide accept|reject|deprecate|reopen ADR-N [--team ID] [--by NAME]',
      'mesh-help decide supersede ADR-N --with ADR-M [--team ID] [--by NAME]',
    ],
    description:
      'Moves a record along its life cycle through the same rules as the buttons in Slack: accept or reject a proposed record, deprecate an accepted one, reopen a decided one, or supersede an accepted record with another (a proposed successor is accepted). A change the life cycle does not allow is refused and changes nothing (exit 2). With SLACK_BOT_TOKEN set, the record’s Slack cards and the decisions channel are updated at once. To supersede with a new interview, run `mesh-help interview --revisits N --accept`.',
    options: [['--with ADR-M', 'supersede: the record that takes over'], TEAM, BY],
    examples: ['mesh-help decide accept ADR-0003', 'mesh-help decide supersede ADR-1 --with ADR-4 --by ada'],
  },
  {
    name: 'decisions',
    summary: 'the team’s decision log, or every team’s with conflicts flagged',
    usage: [
      'mesh-help decisions [--team ID] [--json]',
      'mesh-help decisions --all [--json] [--status S] [--pattern P] [--tool T] [--team ID] [--scope TAG]',
      'mesh-help decisions --drift [--all] [--json] [--team ID]',
    ],
    options: [
      TEAM,
      ['--json', 'the records as JSON'],
      ['--all', 'every team’s decisions, with conflicts on shared clusters flagged'],
      ['--status S, --pattern P, --tool T, --scope TAG', 'with --all: only the records that match'],
      [
        '--drift',
        'accepted records whose basis changed since acceptance (a chosen tool’s status or licence, or the advice for the same answers), naming each change; with --all also the acknowledged ones',
      ],
    ],
  },
  {
    name: 'compare',
    summary: 'patterns side by side: what each solves, when it shines, its tools',
    usage: ['mesh-help compare [PATTERN...]'],
    description: 'Without patterns, all of them.',
  },
  {
    name: 'export',
    summary: 'every ADR and a README.md index, to a folder, a pull request or a git remote',
    usage: [
      'mesh-help export [--team ID] --out DIR',
      'mesh-help export [--team ID] --pr OWNER/REPO [--path FOLDER]',
      'mesh-help export [--team ID] --git REMOTE_URL [--branch B] [--path FOLDER]',
    ],
    options: [
      TEAM,
      ['--out DIR', 'write into a folder, e.g. docs/decisions'],
      ['--pr OWNER/REPO', 'open a GitHub pull request (GITHUB_TOKEN, GITHUB_API_URL)'],
      ['--git REMOTE_URL', 'push to any git remote (its credential helpers supply the login)'],
      ['--path FOLDER', 'the folder inside the repository'],
      ['--branch B', 'the branch to push to'],
    ],
  },
  {
    name: 'store',
    summary: 'check the store, or copy the JSON folder into PostgreSQL',
    usage: ['mesh-help store check', 'mesh-help store migrate --to postgres://USER:PASSWORD@HOST:5432/DB [--replace]'],
    description: 'migrate copies every team from the JSON folder into PostgreSQL and is safe to run again.',
  },
  {
    name: 'start',
    summary: 'the Slack bot when SLACK_BOT_TOKEN is set, otherwise the terminal interview',
    usage: ['mesh-help start'],
  },
  {
    name: 'help',
    summary: 'this list, or one command’s help',
    usage: ['mesh-help help [COMMAND]', 'mesh-help COMMAND --help', 'mesh-help --version'],
  },
];

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

const ENVIRONMENT =
  'Environment: MESH_HELP_DATA_DIR (store folder, default ./data); DATABASE_URL (PostgreSQL instead of the folder); GITHUB_TOKEN and GITHUB_API_URL for --pr; SLACK_BOT_TOKEN (and SLACK_API_URL) to update Slack after `decide`.';

/** A line wrapped to `width`, continuation lines under `indent`. */
const hang = (text: string, width: number, first: string, indent: string): string[] =>
  wrap(text, Math.max(20, width - indent.length)).map((l, i) => (i ? indent : first) + l);

/** Wraps a usage line between words, never inside a bracketed option; continuation lines indented under the command. */
function usageLines(line: string, width: number): string[] {
  const tokens = line.match(/\[[^\]]*\]|\S+/g) ?? [];
  const indent = ' '.repeat(Math.min(`  ${tokens[0] ?? ''} ${tokens[1] ?? ''} `.length, 24));
  const out: string[] = [];
  let current = '';
  for (const token of tokens) {
    const joined = current ? `${current} ${token}` : `  ${token}`;
    if (current && joined.length > width) {
      out.push(current);
      current = `${indent}${token}`;
    } else current = joined;
  }
  if (current) out.push(current);
  return out;
}

/** Options as a two-column list, or, on a narrow terminal, each description under its flag. */
function optionLines(options: readonly [string, string][], width: number): string[] {
  const col = Math.min(22, Math.max(...options.map(([f]) => f.length)) + 4);
  return options.flatMap(([flag, text]) => {
    if (flag.length + 4 > col || width < 60) return [`  ${flag}`, ...hang(text, width, '      ', '      ')];
    return hang(text, width, `  ${flag.padEnd(col - 2)}`, ' '.repeat(col));
  });
}

/** `mesh-help help`: every command with its one line, wrapped to the terminal's width. */
export function topHelp(width = 80): string {
  const col = Math.max(...COMMAND_NAMES.map((n) => n.length)) + 4;
  return [
    ...hang('mesh-help: decide between service mesh, cluster mesh, federation or none, problem first.', width, '', ''),
    '',
    'Usage: mesh-help COMMAND [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => hang(c.summary, width, `  ${c.name.padEnd(col - 2)}`, ' '.repeat(col))),
    '',
    ...hang(
      '`mesh-help COMMAND --help` tells more about one command; `mesh-help --version` prints the version.',
      width,
      '',
      '',
    ),
    '',
    ...hang(ENVIRONMENT, width, '', ''),
  ].join('\n');
}

/** `mesh-help CMD --help`: usage, what it does, its options and examples, wrapped to the terminal's width. */
export function commandHelp(name: string, width = 80): string | undefined {
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) return undefined;
  return [
    ...hang(`mesh-help ${c.name}: ${c.summary}.`, width, '', ''),
    '',
    'Usage:',
    ...c.usage.flatMap((u) => usageLines(u, width)),
    ...(c.description ? ['', ...hang(c.description, width, '', '')] : []),
    ...(c.options?.length ? ['', 'Options:', ...optionLines(c.options, width)] : []),
    ...(c.examples?.length ? ['', 'Examples:', ...c.examples.flatMap((e) => usageLines(e, width))] : []),
  ].join('\n');
}

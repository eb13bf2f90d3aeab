import { MAX_ABANDON_AFTER_DAYS, MAX_APPROVALS, MAX_DEADLINE_DAYS } from '../../../domain/limits.js';
import { isTimeZone } from '../../../domain/time.js';
import { BranchName, DEFAULT_PATH, FolderPath, firstIssue, RemoteUrl, RepoSpec } from '../../../publish/index.js';
import { DecisionStatus, type GitTarget, type RepoTarget, RuleEditors } from '../../../store/index.js';
import type { OrgFilters } from '../../../team/org-log.js';
import { parseScope } from '../../../team/scope.js';
import { SUBCOMMANDS } from '../../blocks/menu.js';
import { unescapeSlack } from '../../escape.js';

/** A `/mesh-help` invocation, parsed. */
export type ParsedCommand =
  | { kind: 'menu' }
  | { kind: 'start'; title: string; revisits?: number; scope?: string[]; scopeError?: string }
  | { kind: 'compare'; patterns: string[] }
  | { kind: 'decisions'; all?: OrgQuery }
  | { kind: 'export'; to: ExportTarget }
  | { kind: 'config'; change: ConfigChange }
  | { kind: 'help' }
  | { kind: 'resume' }
  | { kind: 'unknown'; given: string; suggestion?: string | undefined };

/** `/mesh-help decisions all [status:…] [pattern:…] [tool:…] [team:…] [scope:…]`: filters, or why they were refused. */
export type OrgQuery = { filters: OrgFilters } | { bad: string };

const DECISIONS_USAGE =
  '`decisions all` takes filters like `status:accepted`, `pattern:service-mesh`, `tool:istio`, `team:T0123`, `scope:prod-eu`.';

function parseOrgQuery(words: string[]): OrgQuery {
  const filters: OrgFilters = {};
  for (const word of words) {
    const m = /^(status|pattern|tool|team|scope):(.+)$/i.exec(word);
    if (!m?.[1] || !m[2]) return { bad: `I could not read \`${word.slice(0, 40)}\`. ${DECISIONS_USAGE}` };
    const key = m[1].toLowerCase();
    const value = m[2];
    if (key === 'status') {
      const status = DecisionStatus.safeParse(value.toLowerCase());
      if (!status.success) return { bad: `Status is one of ${DecisionStatus.options.join(', ')}.` };
      filters.status = status.data;
    } else if (key === 'pattern') filters.pattern = value.toLowerCase();
    else if (key === 'tool') filters.tool = value;
    else if (key === 'team') filters.team = value.toUpperCase();
    else filters.scope = value.toLowerCase();
  }
  return { filters };
}

/** `/mesh-help export` uploads into Slack; `export pr` opens a pull request (or pushes to the git remote); `export git` pushes. */
export type ExportTarget = 'slack' | 'pr' | 'git' | { bad: string };

/** `/mesh-help config …`: show the settings, or change one. */
export type ConfigChange =
  | { kind: 'show' }
  /** `config` alone: the settings as a form (a modal), when Slack gave a trigger to open one. */
  | { kind: 'form' }
  | { kind: 'channel'; channel: string }
  | { kind: 'channel-off' }
  | { kind: 'approvals'; count: number }
  | { kind: 'deadline'; days: number | undefined }
  | { kind: 'repo'; repo: RepoTarget }
  | { kind: 'repo-off' }
  | { kind: 'git'; git: GitTarget }
  | { kind: 'git-off' }
  | { kind: 'owners'; users: string[] }
  | { kind: 'approvers'; users: string[] }
  | { kind: 'editors'; editors: RuleEditors }
  | { kind: 'limits'; perChannel: number; perTeam: number }
  /** Days of silence before an open interview is abandoned; 0: never. */
  | { kind: 'abandon'; days: number }
  /** The team's time zone (IANA name); undefined: back to UTC. */
  | { kind: 'timezone'; zone: string | undefined }
  | { kind: 'bad'; message: string };

export { MAX_APPROVALS, MAX_DEADLINE_DAYS };
export const MAX_OWNERS = 20;
export const MAX_OPEN_LIMIT = 10_000;

/** A person as Slack sends a mention with escaping on (`<@U123|name>`, `<@U123>`) or a raw user id. */
export function parseUser(text: string): string | undefined {
  const m = /^<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(text) ?? /^([UW][A-Z0-9]{2,30})$/.exec(text);
  return m?.[1];
}

function parseOwners(words: string[]): ConfigChange {
  if (words.length === 1 && /^(none|off)$/i.test(words[0] ?? '')) return { kind: 'owners', users: [] };
  if (!words.length) return { kind: 'bad', message: 'Name the owners: `config owners @a @b` (or `none`).' };
  if (words.length > MAX_OWNERS) return { kind: 'bad', message: `At most ${MAX_OWNERS} owners.` };
  const users = words.map(parseUser);
  if (users.some((u) => u === undefined)) {
    return { kind: 'bad', message: 'I could not read those people. Mention each one with @ so Slack links them.' };
  }
  return { kind: 'owners', users: [...new Set(users as string[])] };
}

function parseApprovers(words: string[]): ConfigChange {
  if (words.length === 1 && /^(none|off)$/i.test(words[0] ?? '')) return { kind: 'approvers', users: [] };
  if (!words.length)
    return { kind: 'bad', message: 'Name the required approvers: `config approvers @a @b` (or `none`).' };
  if (words.length > MAX_OWNERS) return { kind: 'bad', message: `At most ${MAX_OWNERS} required approvers.` };
  const users = words.map(parseUser);
  if (users.some((u) => u === undefined)) {
    return { kind: 'bad', message: 'I could not read those people. Mention each one with @ so Slack links them.' };
  }
  return { kind: 'approvers', users: [...new Set(users as string[])] };
}

function parseLimits(words: string[]): ConfigChange {
  const [perChannel, perTeam] = words.map((w) => (/^\d{1,5}$/.test(w) ? Number(w) : Number.NaN));
  const ok = (n: number | undefined) => n !== undefined && n >= 1 && n <= MAX_OPEN_LIMIT;
  if (words.length !== 2 || !ok(perChannel) || !ok(perTeam)) {
    return {
      kind: 'bad',
      message: `Use \`config limits N M\`: N open interviews per channel, M per team (1 to ${MAX_OPEN_LIMIT}).`,
    };
  }
  return { kind: 'limits', perChannel: perChannel ?? 1, perTeam: perTeam ?? 1 };
}

/** A channel as Slack sends it when escaping is on (`<#C123|name>`, `<#C123>`) or a raw channel id. */
export function parseChannel(text: string): string | undefined {
  const m = /^<#([CG][A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(text) ?? /^([CG][A-Z0-9]{2,30})$/.exec(text);
  return m?.[1];
}

/** A URL as Slack sends it when it links one (`<https://x|x>`), or as typed. */
const unlinkUrl = (text: string): string => /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text)?.[1] ?? text;

function parseRepo(args: string[]): ConfigChange {
  const usage = '`config repo OWNER/REPO [folder]` (default folder `docs/decisions`) or `config repo none`';
  const [spec = '', path, ...extra] = args;
  if (/^(none|off)$/i.test(spec) && path === undefined) return { kind: 'repo-off' };
  if (!spec || extra.length) return { kind: 'bad', message: `Use ${usage}.` };
  const repo = RepoSpec.safeParse(unlinkUrl(spec).replace(/^https:\/\/github\.com\//, ''));
  if (!repo.success) return { kind: 'bad', message: `${firstIssue(repo.error)}. Use ${usage}.` };
  const folder = FolderPath.safeParse(path ?? DEFAULT_PATH);
  if (!folder.success) return { kind: 'bad', message: `${firstIssue(folder.error)}. Use ${usage}.` };
  return { kind: 'repo', repo: { ...repo.data, path: folder.data } };
}

function parseGit(args: string[]): ConfigChange {
  const usage = '`config git REMOTE_URL [branch] [folder]` or `config git none`';
  const [spec = '', branch, path, ...extra] = args;
  if (/^(none|off)$/i.test(spec) && branch === undefined) return { kind: 'git-off' };
  if (!spec || extra.length) return { kind: 'bad', message: `Use ${usage}.` };
  const url = RemoteUrl.safeParse(unlinkUrl(spec));
  if (!url.success) return { kind: 'bad', message: `${firstIssue(url.error)}. Use ${usage}.` };
  const b = branch === undefined ? undefined : BranchName.safeParse(branch);
  if (b && !b.success) return { kind: 'bad', message: `${firstIssue(b.error)}. Use ${usage}.` };
  const folder = FolderPath.safeParse(path ?? DEFAULT_PATH);
  if (!folder.success) return { kind: 'bad', message: `${firstIssue(folder.error)}. Use ${usage}.` };
  return { kind: 'git', git: { url: url.data, ...(b?.data ? { branch: b.data } : {}), path: folder.data } };
}

function parseConfig(args: string[]): ConfigChange {
  const [what = '', value = '', ...extra] = args;
  const usage = `\`config channel #name\`, \`config channel none\`, \`config approvals N\` (0 to ${MAX_APPROVALS}), \`config deadline Nd\` (or \`none\`), \`config repo OWNER/REPO [folder]\`, \`config git REMOTE_URL [branch] [folder]\`, \`config owners @a @b\`, \`config approvers @a @b\`, \`config editors ${RuleEditors.options.join('|')}\`, \`config limits N M\`, \`config abandon Nd\` (or \`never\`) or \`config timezone Europe/Berlin\` (or \`UTC\`)`;
  if (!what) return { kind: 'form' };
  if (what.toLowerCase() === 'show' && !value) return { kind: 'show' };
  if (what.toLowerCase() === 'repo') return parseRepo(args.slice(1));
  if (what.toLowerCase() === 'git') return parseGit(args.slice(1));
  if (what.toLowerCase() === 'owners') return parseOwners(args.slice(1));
  if (what.toLowerCase() === 'approvers') return parseApprovers(args.slice(1));
  if (what.toLowerCase() === 'limits') return parseLimits(args.slice(1));
  if (extra.length) return { kind: 'bad', message: `Too many words. Use ${usage}.` };
  switch (what.toLowerCase()) {
    case 'editors': {
      const editors = RuleEditors.safeParse(value.toLowerCase());
      return editors.success
        ? { kind: 'editors', editors: editors.data }
        : {
            kind: 'bad',
            message: `Who may change these settings: ${RuleEditors.options.map((o) => `\`${o}\``).join(', ')}.`,
          };
    }
    case 'channel': {
      if (/^(none|off)$/i.test(value)) return { kind: 'channel-off' };
      const channel = parseChannel(value);
      if (channel) return { kind: 'channel', channel };
      return {
        kind: 'bad',
        message: value
          ? 'I could not read that channel. Pick it with # so Slack links it, or give its id (channel details, at the bottom).'
          : `Which channel? Use ${usage}.`,
      };
    }
    case 'deadline': {
      if (/^(none|off)$/i.test(value)) return { kind: 'deadline', days: undefined };
      const days = /^(\d{1,2})d?$/i.exec(value)?.[1];
      return days && Number(days) >= 1 && Number(days) <= MAX_DEADLINE_DAYS
        ? { kind: 'deadline', days: Number(days) }
        : {
            kind: 'bad',
            message: `A deadline is a number of days from 1 to ${MAX_DEADLINE_DAYS}, e.g. \`config deadline 5d\`, or \`none\`.`,
          };
    }
    case 'abandon': {
      if (/^(none|off|never)$/i.test(value)) return { kind: 'abandon', days: 0 };
      const days = /^(\d{1,3})d?$/i.exec(value)?.[1];
      return days && Number(days) >= 1 && Number(days) <= MAX_ABANDON_AFTER_DAYS
        ? { kind: 'abandon', days: Number(days) }
        : {
            kind: 'bad',
            message: `Abandon after a number of silent days from 1 to ${MAX_ABANDON_AFTER_DAYS}, e.g. \`config abandon 30d\`, or \`never\`.`,
          };
    }
    case 'timezone':
    case 'tz': {
      if (/^(utc|none|off)$/i.test(value)) return { kind: 'timezone', zone: undefined };
      return isTimeZone(value) && value.includes('/')
        ? { kind: 'timezone', zone: new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone }
        : {
            kind: 'bad',
            message: `A time zone is an IANA name such as \`Europe/Berlin\` or \`America/New_York\` (or \`UTC\`).`,
          };
    }
    case 'approvals': {
      const count = /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
      return count >= 0 && count <= MAX_APPROVALS
        ? { kind: 'approvals', count }
        : { kind: 'bad', message: `Approvals must be a whole number from 0 to ${MAX_APPROVALS}.` };
    }
    default:
      return { kind: 'bad', message: `I don’t know that setting. Use ${usage}.` };
  }
}

/** `revisit ADR-0003 …`, `revisit 0003 …` or `revisit 3 …` at the start of a title: the record to supersede. */
const REVISIT = /^revisit\s+(?:adr-?)?0*(\d{1,6})(?=\s|$)\s*/i;

/** Slack's escaped mentions in a title read as people wrote them (`<#C1|ops>` → `#ops`). */
const unlink = (text: string): string => text.replace(/<([#@])[A-Z0-9]+\|([^>]+)>/g, '$1$2');

/** A title as the person typed it: mentions read back, and Slack's `&amp;`, `&lt;`, `&gt;` undone (escaped again on display). */
const titleOf = (text: string): string => unescapeSlack(unlink(text));

/** `… scope: prod-eu, staging` at the end of a start command: the clusters or environments covered. */
const SCOPE = /\s*\bscope:\s*(.*)$/i;

function parseStart(text: string): ParsedCommand {
  const s = SCOPE.exec(text);
  const args = s ? text.slice(0, s.index) : text;
  const scope = s ? parseScope(s[1] ?? '') : undefined;
  const parsed = parseTitle(args);
  if (parsed.kind !== 'start' || !scope) return parsed;
  return scope.ok ? { ...parsed, scope: scope.value } : { ...parsed, scopeError: scope.error };
}

function parseTitle(args: string): ParsedCommand {
  const m = REVISIT.exec(args);
  if (!m?.[1] || Number(m[1]) < 1) return { kind: 'start', title: titleOf(args) };
  return { kind: 'start', title: titleOf(args.slice(m[0].length)), revisits: Number(m[1]) };
}

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known word, if it is close enough to be a typo. */
export function suggest(given: string, known: readonly string[]): string | undefined {
  const word = given.toLowerCase();
  const prefixed = known.filter((k) => k.startsWith(word) && word.length >= 2);
  if (prefixed.length === 1) return prefixed[0];
  let best: { word: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(word, k);
    if (!best || d < best.d) best = { word: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.word : undefined;
}

function exportTarget(words: string[]): ExportTarget {
  const [to = '', ...extra] = words.map((w) => w.toLowerCase());
  if (extra.length) return { bad: 'Use `export`, `export pr` or `export git`.' };
  if (!to) return 'slack';
  if (to === 'pr' || to === 'github') return 'pr';
  if (to === 'git') return 'git';
  return {
    bad: 'Use `export` (files here), `export pr` (a pull request) or `export git` (a push to the team’s git remote).',
  };
}

/** Parses the text after `/mesh-help`. */
/** `export pr` and `export git`: a push to a repository, which runs in the exports' lane. */
export const isRepoExport = (c: ParsedCommand): boolean => c.kind === 'export' && (c.to === 'pr' || c.to === 'git');

export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'menu' };
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const sub = head.toLowerCase();
  const args = trimmed.slice(head.length).trim();
  switch (sub) {
    case 'start':
      return parseStart(args);
    case 'compare':
      return { kind: 'compare', patterns: rest.map((p) => p.toLowerCase()) };
    case 'decisions': {
      const [first = '', ...more] = rest;
      if (!first) return { kind: 'decisions' };
      if (/^(all|org)$/i.test(first)) return { kind: 'decisions', all: parseOrgQuery(more) };
      return {
        kind: 'decisions',
        all: { bad: `Use \`decisions\` for this team or \`decisions all\`. ${DECISIONS_USAGE}` },
      };
    }
    case 'export':
      return { kind: 'export', to: exportTarget(rest) };
    case 'config':
      return { kind: 'config', change: parseConfig(rest) };
    case 'help':
      return { kind: 'help' };
    case 'resume':
      return { kind: 'resume' };
    default:
      return { kind: 'unknown', given: head.slice(0, 40), suggestion: suggest(sub, SUBCOMMANDS) };
  }
}

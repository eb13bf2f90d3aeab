import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import { z } from 'zod';
import { driftsOf } from '../domain/drift.js';
import { adrId } from '../domain/machine/record.js';
import { advance } from '../domain/machine/step.js';
import { count } from '../domain/plural.js';
import { decisionTitle } from '../domain/presentation.js';
import { completeAnswers, formatAnswerError, parseAnswers } from '../engine/answers.js';
import type { Answers, Flow } from '../engine/flow.js';
import { getFlow } from '../engine/load.js';
import { type Recommendation, recommend } from '../engine/recommend.js';
import { CodedError, type Codes, EXIT_CODES, exitCodeOf } from '../errors.js';
import type { Store } from '../store/index.js';
import { parseScope } from '../team/scope.js';
import { decideCommand } from './decide.js';
import { diagramTarget, writeDiagram } from './diagram.js';
import { exportCommand } from './export.js';
import { COMMAND_NAMES, commandHelp, topHelp } from './help.js';
import { actorName, osUserName } from './identity.js';
import { orgDecisions } from './org-log.js';
import { clearProgress, type Progress, readProgress, saveProgress } from './progress.js';
import { InputClosed, promptInterview } from './prompt.js';
import { renderComparison, renderDecisions, renderRecommendation } from './render.js';
import { openCliStore, storeLocation } from './store.js';
import { storeMigrate } from './store-migrate.js';
import { didYouMean } from './suggest.js';

/** A command that cannot go on: `usage` (bad input, exit 2) or `failed` (exit 1); see EXIT_CODES. */
export class CliError extends CodedError<'cli'> {
  readonly family = 'cli';
  constructor(
    message: string,
    readonly code: Codes['cli'] = 'usage',
  ) {
    super(message);
  }
}

export type Io = {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  /** Reads lines from the terminal; undefined when stdin is not interactive. */
  ask?: (prompt: string) => Promise<string | undefined>;
  now: () => Date;
  /** The terminal's width in columns (process.stdout.columns); help and results wrap to it (default 80). */
  columns?: number | undefined;
  /** The operating system's user name (os.userInfo); tests pass their own. */
  osUser?: (() => string | undefined) | undefined;
};

/** The width output wraps to: the terminal's, else COLUMNS, else 80 (never narrower than 40). */
export const widthOf = (io: Io): number => Math.max(40, io.columns || Number(io.env.COLUMNS) || 80);

const TeamId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a team id is letters, digits, - and _ (at most 64)');

function readAnswersFile(flow: Flow, file: string): Answers {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read answers file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CliError(`answers file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseAnswers(flow, raw);
  if (!parsed.ok) throw new CliError(`answers file ${file}: ${formatAnswerError(parsed.error)}`);
  return parsed.value;
}

function openStore(env: NodeJS.ProcessEnv): Promise<Store> {
  return openCliStore(env);
}

export function teamOf(value: string | undefined): string {
  const parsed = TeamId.safeParse(value ?? 'local');
  if (!parsed.success) throw new CliError(`--team: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** A title for records started without one, following what was chosen ("Extend Istio across regions with …"). */
export function defaultTitle(flow: Flow, rec: Recommendation, answers: Answers): string {
  return decisionTitle(flow, { chosen: [rec.primary, ...rec.complements], recommendation: rec, answers });
}

async function interview(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      answers: { type: 'string' },
      team: { type: 'string' },
      title: { type: 'string' },
      accept: { type: 'boolean', default: false },
      revisits: { type: 'string' },
      by: { type: 'string' },
      scope: { type: 'string' },
      resume: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const flow = getFlow();
  const team = teamOf(values.team);
  const revisits =
    values.revisits === undefined ? undefined : z.coerce.number().int().positive().safeParse(values.revisits);
  if (revisits && !revisits.success) throw new CliError('--revisits takes a decision number, e.g. --revisits 3');
  const scope = values.scope === undefined ? undefined : parseScope(values.scope);
  if (scope && !scope.ok) throw new CliError(`--scope: ${scope.error}`);
  if (values.resume && values.fresh) throw new CliError('--resume and --fresh contradict each other: choose one.');
  if (values.answers && (values.resume || values.fresh))
    throw new CliError('--resume and --fresh are for the interview in a terminal, not with --answers.');
  const { dataDir } = storeLocation(io.env);
  let answers: Answers;
  if (values.answers) answers = completeAnswers(flow, readAnswersFile(flow, values.answers));
  else {
    if (!io.stdinIsTTY || !io.ask) {
      throw new CliError(
        'standard input is not a terminal: run `mesh-help interview --answers FILE`, or run it in a terminal to be asked the questions',
      );
    }
    answers = await askInTerminal(flow, io, dataDir, team, { resume: values.resume, fresh: values.fresh });
  }
  const rec = recommend(flow, answers);
  io.out('');
  io.out(renderRecommendation(flow, rec, widthOf(io), answers));

  const store = await openStore(io.env);
  const now = io.now();
  const title = values.title?.trim() || defaultTitle(flow, rec, answers);
  // Who decided, for the ADR's decision-makers: --by, else the OS user name (never the word "terminal").
  const who = actorName(values.by, io.osUser ? io.osUser() : osUserName(io.env)) ?? 'terminal';
  try {
    const outcome = await store.update(
      team,
      (doc) =>
        advance(
          flow,
          doc,
          {
            type: 'record',
            id: randomUUID(),
            title,
            answers,
            recommendation: rec,
            accept: Boolean(values.accept),
            revisits: revisits?.success ? revisits.data : undefined,
            scope: scope?.ok ? scope.value : undefined,
            by: who,
            byName: who,
          },
          now,
        ).outcome,
    );
    const decision = match(outcome)
      .with({ kind: 'recorded' }, (o) => o.decision)
      .with({ kind: 'no-such-record' }, (o) => {
        throw new CliError(`--revisits: team ${team} has no ${adrId(o.number)}`);
      })
      .with({ kind: 'bad-answer' }, (o) => {
        throw new CliError(`cannot record answer to ${o.question}: ${o.message}`, 'failed');
      })
      .with({ kind: 'refused' }, (o) => {
        throw new CliError(`cannot record the decision: ${o.error.kind}`, 'failed');
      })
      .exhaustive();
    if (!values.answers) clearProgress(dataDir, team);
    io.out('');
    io.out(`Saved ${adrId(decision.number)} "${decision.title}" as ${decision.status} for team ${team}.`);
    if (decision.status === 'proposed')
      io.out(
        `Accept it later with \`mesh-help decide accept ${adrId(decision.number)}${team === 'local' ? '' : ` --team ${team}`}\`.`,
      );
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * The interview in a terminal, saved after every answer so that one cut off
 * (Ctrl-C, end of input) can be resumed: offered, or taken with --resume.
 */
async function askInTerminal(
  flow: Flow,
  io: Io,
  dataDir: string,
  team: string,
  mode: { resume: boolean; fresh: boolean },
): Promise<Answers> {
  const ask = io.ask as NonNullable<Io['ask']>;
  const saved = readProgress(dataDir, team);
  if (!saved.ok) {
    if (mode.resume) throw new CliError(`nothing to resume: ${saved.error}`);
    io.err(`mesh-help: ${saved.error}; starting afresh (it is replaced at the first answer).`);
  }
  let start: Progress | undefined = saved.ok ? saved.value : undefined;
  if (mode.resume && !start) throw new CliError(`team ${team} has no unfinished interview to resume.`);
  if (start && mode.fresh) start = undefined;
  else if (start && !mode.resume) {
    const count = Object.keys(start.answers).length;
    const when = start.savedAt.slice(0, 16).replace('T', ' ');
    const reply = await ask(
      `An interview of team ${team} was left unfinished (${count} answer${count === 1 ? '' : 's'}, ${when} UTC). Resume it? [Y/n] `,
    );
    if (reply === undefined) throw new InputClosed();
    if (/^n/i.test(reply.trim())) start = undefined;
  }
  // Declined: the old answers go now, so a second cut-off never brings them back.
  if (saved.ok && saved.value && !start) clearProgress(dataDir, team);
  io.out(
    start
      ? `Resuming: ${Object.keys(start.answers).length} answers kept. ? explains a question, b goes back.`
      : 'mesh-help: a few questions about what hurts, then a recommendation. ? explains a question, b goes back.',
  );
  const save = (answers: Answers, asked: readonly string[]) =>
    saveProgress(dataDir, { version: 1, team, answers, asked: [...asked], savedAt: io.now().toISOString() });
  try {
    return await promptInterview(flow, ask, io.out, start?.answers ?? {}, save, start?.asked ?? []);
  } catch (err) {
    if (err instanceof InputClosed) {
      const kept = readProgress(dataDir, team);
      const n = kept.ok && kept.value ? Object.keys(kept.value.answers).length : 0;
      if (n) {
        throw new CliError(
          `interview stopped; your ${n} answer${n === 1 ? ' is' : 's are'} kept: \`mesh-help interview${team === 'local' ? '' : ` --team ${team}`}\` resumes it.`,
          'failed',
        );
      }
    }
    throw err;
  }
}

async function recommendCmd(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { answers: { type: 'string' }, json: { type: 'boolean', default: false }, diagram: { type: 'string' } },
  });
  if (!values.answers) throw new CliError('recommend needs --answers FILE (a JSON object of question id to option id)');
  const diagram = values.diagram === undefined ? undefined : diagramTarget(values.diagram);
  if (diagram && !diagram.ok) throw new CliError(diagram.error);
  const flow = getFlow();
  const answers = readAnswersFile(flow, values.answers);
  const rec = recommend(flow, answers);
  io.out(values.json ? JSON.stringify(rec, null, 2) : renderRecommendation(flow, rec, widthOf(io), answers));
  if (diagram) {
    // On stderr: with --json, stdout stays one JSON object.
    const wrote = await writeDiagram(flow, answers, rec, diagram.value);
    if (!wrote.ok) throw new CliError(wrote.error, 'failed');
    io.err(wrote.value);
  }
  return 0;
}

function compare(args: string[], io: Io): number {
  const flow = getFlow();
  const known = flow.patterns.map((p) => p.id);
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length)
    throw new CliError(`unknown pattern ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${known.join(', ')}`);
  io.out(renderComparison(flow, args.length ? [...new Set(args)] : known, io.columns || Number(io.env.COLUMNS) || 120));
  return 0;
}

async function decisions(args: string[], io: Io): Promise<number> {
  if (args.includes('--drift')) return decisionsDrift(args, io);
  if (args.includes('--all')) {
    const store = await openStore(io.env);
    try {
      return await orgDecisions(getFlow(), store, args, io);
    } finally {
      await store.close();
    }
  }
  const { values } = parseArgs({
    args,
    options: { team: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const flow = getFlow();
  const store = await openStore(io.env);
  try {
    const doc = await store.read(teamOf(values.team));
    io.out(values.json ? JSON.stringify(doc.decisions, null, 2) : renderDecisions(flow, doc.decisions));
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * `decisions --drift`: each accepted record whose basis changed, naming each change; `--all` lists acknowledged
 * changes too, with who acknowledged them and why.
 */
async function decisionsDrift(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      team: { type: 'string' },
      json: { type: 'boolean', default: false },
      drift: { type: 'boolean', default: true },
      all: { type: 'boolean', default: false },
    },
  });
  const flow = getFlow();
  const store = await openStore(io.env);
  try {
    const doc = await store.read(teamOf(values.team));
    const rows = doc.decisions
      .map((d) => ({ d, drifts: driftsOf(flow, d).filter((v) => values.all || !v.ack) }))
      .filter((r) => r.drifts.length);
    if (values.json) {
      const out = rows.map(({ d, drifts }) => ({
        number: d.number,
        id: adrId(d.number),
        title: d.title,
        reconstructed: d.basis?.reconstructed ?? false,
        drifts: drifts.map((v) => ({
          key: v.key,
          text: v.text,
          ...v.drift,
          ...(v.ack ? { acknowledged: v.ack } : {}),
        })),
      }));
      io.out(JSON.stringify(out, null, 2));
      return 0;
    }
    if (!rows.length) {
      io.out(
        values.all
          ? 'No accepted record has a changed basis.'
          : 'No accepted record has an unacknowledged change of its basis.',
      );
      return 0;
    }
    for (const { d, drifts } of rows) {
      io.out(`${adrId(d.number)} ${d.title}: review, the basis changed`);
      for (const v of drifts) {
        const ack = v.ack
          ? ` (acknowledged by ${v.ack.byName ?? v.ack.by} on ${v.ack.at.slice(0, 10)}: ${v.ack.reason})`
          : '';
        io.out(`  - ${v.text}${ack}`);
      }
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function storeCmd(args: string[], io: Io): Promise<number> {
  if (args[0] === 'migrate') return storeMigrate(args.slice(1), io);
  if (args[0] !== 'check') throw new CliError('usage: mesh-help store check | mesh-help store migrate --to URL');
  const store = await openStore(io.env);
  let report: Awaited<ReturnType<Store['check']>>;
  try {
    report = await store.check();
  } finally {
    await store.close();
  }
  for (const r of report) io.out(r.ok ? `ok       ${r.teamId}  ${r.file}` : `CORRUPT  ${r.teamId}  ${r.error}`);
  const bad = report.filter((r) => !r.ok).length;
  io.out(`${count(report.length, 'team file')} checked, ${bad} with problems.`);
  return bad ? 1 : 0;
}

async function start(args: string[], io: Io): Promise<number> {
  if (io.env.SLACK_BOT_TOKEN || io.env.SLACK_CLIENT_ID) {
    const { startApp } = await import('../app.js');
    await startApp(io.env);
    return 0;
  }
  io.err(
    'No Slack credentials found (SLACK_BOT_TOKEN, or SLACK_CLIENT_ID for installs), so mesh-help runs locally; README.md "Put it in Slack" sets the bot up in five minutes.',
  );
  return interview(args, io);
}

/** The running mesh-help's version, from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** What a mistyped command is told: the closest command, and where the list is. */
function unknownCommand(command: string): string {
  const guess = didYouMean(command, COMMAND_NAMES);
  return `unknown command "${command}".${guess ? ` Did you mean "${guess}"?` : ''} \`mesh-help help\` lists every command.`;
}

/** Runs one mesh-help command; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command = 'help', ...rest] = argv;
  const width = widthOf(io);
  // `CMD --help` anywhere before a `--` asks for that command's help, and runs nothing.
  const wantsHelp = rest
    .slice(0, rest.includes('--') ? rest.indexOf('--') : undefined)
    .some((a) => a === '--help' || a === '-h');
  if (wantsHelp && COMMAND_NAMES.includes(command)) {
    io.out(commandHelp(command, width) ?? topHelp(width));
    return 0;
  }
  try {
    return await match(command)
      .with('interview', () => interview(rest, io))
      .with('recommend', () => recommendCmd(rest, io))
      .with('compare', () => compare(rest, io))
      .with('decisions', () => decisions(rest, io))
      .with('decide', () => decideCommand(rest, io))
      .with('export', () => exportCommand(rest, io))
      .with('store', () => storeCmd(rest, io))
      .with('start', () => start(rest, io))
      .with('--version', '-V', 'version', () => {
        io.out(`mesh-help ${version()}`);
        return 0;
      })
      .with('help', '--help', '-h', () => {
        const topic = rest[0];
        if (topic === undefined) io.out(topHelp(width));
        else {
          const text = commandHelp(topic, width);
          if (!text) throw new CliError(unknownCommand(topic));
          io.out(text);
        }
        return 0;
      })
      .otherwise(() => {
        io.err(`mesh-help: ${unknownCommand(command)}`);
        return EXIT_CODES['cli.usage'];
      });
  } catch (err) {
    const exitCode = exitCodeOf(err);
    if (exitCode !== undefined) {
      io.err(`mesh-help: ${(err as Error).message}`);
      return exitCode;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(
        `mesh-help: ${err.message}\n\n${COMMAND_NAMES.includes(command) ? commandHelp(command, width) : topHelp(width)}`,
      );
      return EXIT_CODES['cli.usage'];
    }
    throw err;
  }
}

/** The process entry: real stdin/stdout, exit code set from run(). */
export async function main(): Promise<void> {
  const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  let closed = false;
  rl?.on('close', () => {
    closed = true;
  });
  const io: Io = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    ask: rl
      ? (prompt) =>
          closed
            ? Promise.resolve(undefined)
            : new Promise((res) => {
                const onClose = () => res(undefined);
                rl.once('close', onClose);
                rl.question(prompt).then(
                  (a) => {
                    rl.off('close', onClose);
                    res(a);
                  },
                  () => res(undefined),
                );
              })
      : undefined,
    now: () => new Date(),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
  // Ctrl-C during a question ends the input like Ctrl-D: the answers so far are kept and the exit is clean.
  rl?.on('SIGINT', () => rl.close());
  const code = await run(process.argv.slice(2), io);
  rl?.close();
  process.exitCode = code;
}

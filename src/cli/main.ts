import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import { z } from 'zod';
import { adrId } from '../domain/machine/record.js';
import { advance } from '../domain/machine/step.js';
import { decisionTitle } from '../domain/presentation.js';
import { completeAnswers, formatAnswerError, parseAnswers } from '../engine/answers.js';
import type { Answers, Flow } from '../engine/flow.js';
import { getFlow } from '../engine/load.js';
import { type Recommendation, recommend } from '../engine/recommend.js';
import { CodedError, type Codes, EXIT_CODES, exitCodeOf } from '../errors.js';
import type { Store } from '../store/index.js';
import { parseScope } from '../team/scope.js';
import { exportCommand } from './export.js';
import { orgDecisions } from './org-log.js';
import { promptInterview } from './prompt.js';
import { renderComparison, renderDecisions, renderRecommendation } from './render.js';
import { openCliStore } from './store.js';
import { storeMigrate } from './store-migrate.js';

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
};

const USAGE = `mesh-help: decide between service mesh, cluster mesh, federation or none, problem first.

Usage:
  mesh-help interview [--answers FILE] [--team ID] [--title TEXT] [--accept] [--revisits N] [--by NAME] [--scope TAGS]
  mesh-help recommend --answers FILE [--json]
  mesh-help compare [PATTERN...]
  mesh-help decisions [--team ID] [--json]
  mesh-help decisions --all [--json] [--status S] [--pattern P] [--tool T] [--team ID] [--scope TAG]
                           every team's decisions, with conflicts on shared clusters flagged
  mesh-help export [--team ID] --out DIR   every ADR and a README.md index, e.g. into docs/decisions
  mesh-help export [--team ID] --pr OWNER/REPO [--path FOLDER]   the same as a GitHub pull request
  mesh-help export [--team ID] --git REMOTE_URL [--branch B] [--path FOLDER]   pushed to any git remote
  mesh-help store check
  mesh-help store migrate --to postgres://USER:PASSWORD@HOST:5432/DB [--replace]
                           copy every team from the JSON folder into PostgreSQL (safe to run again)
  mesh-help start          Slack bot when SLACK_BOT_TOKEN is set, otherwise the terminal interview
  mesh-help help

Environment: MESH_HELP_DATA_DIR (store folder, default ./data); DATABASE_URL (PostgreSQL instead of the folder);
GITHUB_TOKEN and GITHUB_API_URL for --pr.`;

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

function teamOf(value: string | undefined): string {
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
  let answers: Answers;
  if (values.answers) answers = completeAnswers(flow, readAnswersFile(flow, values.answers));
  else {
    if (!io.stdinIsTTY || !io.ask) {
      throw new CliError(
        'standard input is not a terminal: run `mesh-help interview --answers FILE`, or run it in a terminal to be asked the questions',
      );
    }
    io.out('mesh-help: a few questions about what hurts, then a recommendation. ? explains a question, b goes back.');
    answers = await promptInterview(flow, io.ask, io.out);
  }
  const rec = recommend(flow, answers);
  io.out('');
  io.out(renderRecommendation(flow, rec));

  const store = await openStore(io.env);
  const now = io.now();
  const title = values.title?.trim() || defaultTitle(flow, rec, answers);
  // Who decided, for the ADR's decision-makers: --by, else the login name.
  const byName = (values.by ?? io.env.USER ?? io.env.LOGNAME ?? '').trim().slice(0, 80) || undefined;
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
            by: 'terminal',
            byName,
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
    io.out('');
    io.out(`Saved ${adrId(decision.number)} "${decision.title}" as ${decision.status} for team ${team}.`);
  } finally {
    await store.close();
  }
  return 0;
}

async function recommendCmd(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { answers: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.answers) throw new CliError('recommend needs --answers FILE (a JSON object of question id to option id)');
  const flow = getFlow();
  const rec = recommend(flow, readAnswersFile(flow, values.answers));
  io.out(values.json ? JSON.stringify(rec, null, 2) : renderRecommendation(flow, rec));
  return 0;
}

function compare(args: string[], io: Io): number {
  const flow = getFlow();
  const known = flow.patterns.map((p) => p.id);
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length)
    throw new CliError(`unknown pattern ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${known.join(', ')}`);
  io.out(renderComparison(flow, args.length ? [...new Set(args)] : known, Number(io.env.COLUMNS) || 120));
  return 0;
}

async function decisions(args: string[], io: Io): Promise<number> {
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
  io.out(`${report.length} team file(s) checked, ${bad} with problems.`);
  return bad ? 1 : 0;
}

async function start(args: string[], io: Io): Promise<number> {
  if (io.env.SLACK_BOT_TOKEN || io.env.SLACK_CLIENT_ID) {
    const { startApp } = await import('../app.js');
    await startApp(io.env);
    return 0;
  }
  io.err(
    'No Slack credentials found (SLACK_BOT_TOKEN, or SLACK_CLIENT_ID for installs), so mesh-help runs locally; README.md "Connect to Slack" explains the bot.',
  );
  return interview(args, io);
}

/** Runs one mesh-help command; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    return await match(command)
      .with('interview', () => interview(rest, io))
      .with('recommend', () => recommendCmd(rest, io))
      .with('compare', () => compare(rest, io))
      .with('decisions', () => decisions(rest, io))
      .with('export', () => exportCommand(rest, io))
      .with('store', () => storeCmd(rest, io))
      .with('start', () => start(rest, io))
      .with('help', '--help', '-h', () => {
        io.out(USAGE);
        return 0;
      })
      .otherwise(() => {
        io.err(`unknown command "${command}"\n\n${USAGE}`);
        return EXIT_CODES['cli.usage'];
      });
  } catch (err) {
    const exitCode = exitCodeOf(err);
    if (exitCode !== undefined) {
      io.err(`mesh-help: ${(err as Error).message}`);
      return exitCode;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`mesh-help: ${err.message}\n\n${USAGE}`);
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
  };
  const code = await run(process.argv.slice(2), io);
  rl?.close();
  process.exitCode = code;
}

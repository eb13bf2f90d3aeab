import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import type { Effect } from '../domain/machine/effects.js';
import type { Event, OutcomeOf, Outcomes, RecordRefusal } from '../domain/machine/events.js';
import { advance } from '../domain/machine/step.js';
import { adrId } from '../domain/presentation.js';
import { getFlow } from '../engine/load.js';
import type { Decision, Store } from '../store/index.js';
import { actorName, osUserName } from './identity.js';
import { CliError, type Io, teamOf } from './main.js';
import { openCliStore } from './store.js';
import { didYouMean } from './suggest.js';

/** The life-cycle verbs of `mesh-help decide`, each one state-machine event. */
export const VERBS = ['accept', 'reject', 'deprecate', 'reopen', 'supersede'] as const;
export type Verb = (typeof VERBS)[number];

/** `ADR-0007`, `adr-7` or `7` → 7; undefined for anything else. */
export function parseAdrRef(text: string | undefined): number | undefined {
  const m = /^(?:adr-?)?0*([1-9]\d{0,8})$/i.exec(text?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

const isVerb = (v: string | undefined): v is Verb => VERBS.includes(v as Verb);

type DecideEvent = Extract<Event, { type: 'accept-record' | 'reject' | 'deprecate' | 'reopen' | 'supersede' }>;

/** What ran, for the caller's report: the record(s) after the step, and the effects Slack is owed. */
type Done = { decision: Decision; successor?: Decision | undefined };

function refusalText(team: string, number: number, o: RecordRefusal): string {
  return match(o)
    .with(
      { kind: 'not-found' },
      () => `team ${team} has no ${adrId(number)}; \`mesh-help decisions --team ${team}\` lists its records.`,
    )
    .with({ kind: 'foreign-team' }, () => `${adrId(number)} belongs to another team.`)
    .with({ kind: 'refused' }, (x) => x.message)
    .exhaustive();
}

/** The step's outcome as what happened, or the refusal (exit 2, nothing changed). */
function done(team: string, number: number, outcome: Outcomes[DecideEvent['type']]): Done {
  return match(outcome)
    .with({ kind: 'accepted' }, { kind: 'rejected' }, { kind: 'deprecated' }, { kind: 'reopened' }, (o) => ({
      decision: o.decision,
    }))
    .with({ kind: 'superseded' }, (o) => ({ decision: o.decision, successor: o.successor }))
    .with({ kind: 'needs-approvals' }, (o): never => {
      throw new CliError(
        `${adrId(number)} needs ${o.need} approval${o.need === 1 ? '' : 's'} before it is accepted (${o.have} so far): the team's rule, set in Slack. Approve it on its Slack card.`,
      );
    })
    .with({ kind: 'not-found' }, { kind: 'foreign-team' }, { kind: 'refused' }, (o): never => {
      throw new CliError(refusalText(team, number, o));
    })
    .exhaustive();
}

/**
 * `mesh-help decide VERB ADR-N`: one event of the same state machine the Slack
 * buttons use, inside one store update. A refusal changes nothing and exits 2.
 * With SLACK_BOT_TOKEN set, Slack is told (the record's cards, its thread, the
 * decisions channel) through the bot's own effect runner.
 */
export async function decideCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { team: { type: 'string' }, by: { type: 'string' }, with: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [verb, ref, ...extra] = positionals;
  if (!isVerb(verb)) {
    const guess = verb ? didYouMean(verb, VERBS) : undefined;
    throw new CliError(
      verb
        ? `unknown decision "${verb}"${guess ? `; did you mean "${guess}"?` : ''} Use one of: ${VERBS.join(', ')}.`
        : `decide needs what to do: ${VERBS.join(', ')}. \`mesh-help decide --help\` explains.`,
    );
  }
  const number = parseAdrRef(ref);
  if (number === undefined)
    throw new CliError(`decide ${verb} needs a record, e.g. ADR-0003 or 3${ref ? ` (not "${ref}")` : ''}.`);
  if (extra.length) throw new CliError(`decide ${verb} takes one record; "${extra.join(' ')}" is left over.`);
  const successor = values.with === undefined ? undefined : parseAdrRef(values.with);
  if (verb === 'supersede' && successor === undefined) {
    throw new CliError('decide supersede needs --with ADR-M: the record that takes over.');
  }
  if (verb !== 'supersede' && values.with !== undefined) throw new CliError(`--with is for supersede, not ${verb}.`);
  const team = teamOf(values.team);
  const who = actorName(values.by, io.osUser ? io.osUser() : osUserName(io.env)) ?? 'terminal';
  const common = { number, by: who, byName: who, userTeam: team, via: 'terminal' } as const;
  const event: DecideEvent = match(verb)
    .with('accept', () => ({ type: 'accept-record' as const, ...common }))
    .with('reject', () => ({ type: 'reject' as const, ...common }))
    .with('deprecate', () => ({ type: 'deprecate' as const, ...common }))
    .with('reopen', () => ({ type: 'reopen' as const, ...common }))
    .with('supersede', () => ({ type: 'supersede' as const, ...common, with: successor ?? 0 }))
    .exhaustive();

  const flow = getFlow();
  const store = await openCliStore(io.env);
  try {
    // Looked up first: an unknown record or team is refused without a write (nor a new team file).
    const before = await store.read(team);
    if (!before.decisions.some((d) => d.number === number)) {
      throw new CliError(refusalText(team, number, { kind: 'not-found' }));
    }
    const step = await store.update(team, (doc) => advance(flow, doc, event, io.now()));
    const result = done(team, number, step.outcome as OutcomeOf<DecideEvent>);
    io.out(report(result, who));
    // Slack has something to show only for a record posted there, or a team with a decisions channel.
    const inSlack = [result.decision, result.successor].some((d) => d?.cards?.length || d?.channel);
    if (inSlack || before.config.decisionsChannel) await tellSlack(io, store, team, step.interview, step.effects);
  } finally {
    await store.close();
  }
  return 0;
}

function report({ decision, successor }: Done, who: string): string {
  const name = (d: Decision) => `${adrId(d.number)} "${d.title}"`;
  if (successor) return `${name(decision)} is superseded by ${name(successor)} (${successor.status}), by ${who}.`;
  return `${name(decision)} is ${decision.status}, by ${who}.`;
}

/**
 * Runs the step's effects against Slack when the bot's token is here, so the
 * record's cards and the decisions channel change now. Without it, Slack
 * shows the new status wherever it reads the log (App Home, `/mesh-help
 * decisions`) and the posted cards at their next update.
 */
async function tellSlack(
  io: Io,
  store: Store,
  team: string,
  interview: string | undefined,
  effects: readonly Effect[],
): Promise<void> {
  if (!effects.length || !interview) return;
  const token = io.env.SLACK_BOT_TOKEN?.trim();
  if (!token) {
    io.err(
      'Slack was not told (no SLACK_BOT_TOKEN): App Home and `/mesh-help decisions` show the new status; cards already posted show it when the record next changes in Slack.',
    );
    return;
  }
  const { runFromTerminal } = await import('./slack-effects.js');
  await runFromTerminal({ env: io.env, store, teamId: team, interview, effects, now: io.now, say: io.out });
}

import type { WebClient } from '@slack/web-api';
import { addWorkingDays, DEFAULT_ZONE, endOfDay } from '../../domain/time.js';
import { err, ok, type Result } from '../../engine/result.js';
import { assertTeamId } from '../../store/index.js';
import { MAX_WORKING_DAYS } from '../blocks/deadline.js';
import type { Message } from '../blocks/kit.js';
import { decideNotice } from '../notices/outcomes.js';
import type { CardTarget } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { checkCard, type DecideOutcome, locate } from './interview.js';

/** Most days ahead a deadline date may be. */
const MAX_DATE_DAYS = 366;

/**
 * The modal's answer as a deadline: a number of working days (Monday to
 * Friday where the person is, same time of day), or a date (the end of that
 * day where the person is). Exactly one of the two; anything else is refused
 * with a message for the field at fault.
 */
export function parseDeadline(
  days: string | undefined,
  date: string | undefined,
  now: Date,
  zone: string = DEFAULT_ZONE,
): Result<Date, { field: 'days' | 'date'; message: string }> {
  const d = days?.trim() ?? '';
  const t = date?.trim() ?? '';
  if (d && t) return err({ field: 'days', message: 'Give a number of working days or a date, not both.' });
  if (!d && !t) return err({ field: 'days', message: 'Give a number of working days, or pick a date below.' });
  if (d) {
    const n = /^\d{1,2}$/.test(d) ? Number(d) : Number.NaN;
    if (!(n >= 1 && n <= MAX_WORKING_DAYS))
      return err({ field: 'days', message: `A whole number of working days from 1 to ${MAX_WORKING_DAYS}.` });
    return ok(addWorkingDays(now, n, zone));
  }
  const end = endOfDay(t, zone);
  if (!end) return err({ field: 'date', message: 'Pick a date from the calendar.' });
  if (end.getTime() <= now.getTime()) return err({ field: 'date', message: 'Pick a date from today on.' });
  if (end.getTime() - now.getTime() > MAX_DATE_DAYS * 86_400_000)
    return err({ field: 'date', message: 'Pick a date within a year.' });
  return ok(end);
}

/** The team's time zone (`config timezone`), for a person Slack gives none; undefined: UTC. */
export async function teamZone(deps: SlackDeps, teamId: string): Promise<string | undefined> {
  try {
    assertTeamId(teamId);
    return (await deps.store.read(teamId)).config.timezone;
  } catch {
    return undefined;
  }
}

export type DeadlineOutcome =
  | Exclude<DecideOutcome, { kind: 'decided' } | { kind: 'needs-approvals' }>
  | { kind: 'set' };

/** Whether this recommendation card still takes a deadline from this person (the checks a decision gets). */
export async function deadlineHolder(
  deps: SlackDeps,
  candidates: (string | undefined)[],
  target: Omit<CardTarget, 'teamId'>,
  userTeam: string | undefined,
): Promise<{ teamId: string } | { refused: DeadlineOutcome }> {
  const found = await locate(deps, candidates, target.channel, target.threadTs);
  const refused = checkCard(found, { channel: target.channel, ts: target.cardTs, threadTs: target.threadTs }, userTeam);
  if (refused || !found) return { refused: narrow(refused) ?? { kind: 'not-found' } };
  return { teamId: found.teamId };
}

/**
 * Stores a deadline on the card's session (as `config deadline` does when the
 * recommendation is made), re-checked inside the write; the card and root
 * message show it and the thread is told. Reminders and settling then run as
 * for the team-wide deadline, once a working day and once across restarts.
 */
export async function setDeadlineFromSlack(
  deps: SlackDeps,
  client: WebClient,
  input: { target: CardTarget; user: string; userTeam: string | undefined; deadline: Date },
): Promise<DeadlineOutcome> {
  const { target } = input;
  const at = { channel: target.channel, ts: target.cardTs, threadTs: target.threadTs };
  const found = await locate(deps, [target.teamId], target.channel, target.threadTs);
  const first = checkCard(found, at, input.userTeam);
  if (first || !found) return narrow(first) ?? { kind: 'not-found' };
  return dispatch(deps, client, found.teamId, {
    type: 'set-deadline',
    sessionId: found.session.id,
    at,
    deadline: input.deadline.toISOString(),
    by: input.user,
  });
}

/** The private note after setting a deadline; nothing when it worked (the card and thread say so). */
export function deadlineNotice(outcome: DeadlineOutcome): Message | undefined {
  return outcome.kind === 'set' ? undefined : decideNotice(outcome);
}

function narrow(o: DecideOutcome | undefined): DeadlineOutcome | undefined {
  if (!o) return undefined;
  return o.kind === 'decided' || o.kind === 'needs-approvals' ? { kind: 'not-ready' } : o;
}

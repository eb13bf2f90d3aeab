import type { WebClient } from '@slack/web-api';
import { err, ok, type Result } from '../../engine/result.js';
import { MAX_WORKING_DAYS } from '../blocks/deadline.js';
import type { Message } from '../blocks/kit.js';
import { decideNotice } from '../notices/outcomes.js';
import type { CardTarget } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import { checkCard, type DecideOutcome, locate } from './interview.js';

/** Most days ahead a deadline date may be. */
const MAX_DATE_DAYS = 366;

/** `n` working days (Monday to Friday, UTC) after `from`, at the same time of day. */
export function addWorkingDays(from: Date, n: number): Date {
  const d = new Date(from.getTime());
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() >= 1 && d.getUTCDay() <= 5) left -= 1;
  }
  return d;
}

/**
 * The modal's answer as a deadline: a number of working days, or a date (the
 * end of that day, UTC). Exactly one of the two; anything else is refused with
 * a message for the field at fault.
 */
export function parseDeadline(
  days: string | undefined,
  date: string | undefined,
  now: Date,
): Result<Date, { field: 'days' | 'date'; message: string }> {
  const d = days?.trim() ?? '';
  const t = date?.trim() ?? '';
  if (d && t) return err({ field: 'days', message: 'Give a number of working days or a date, not both.' });
  if (!d && !t) return err({ field: 'days', message: 'Give a number of working days, or pick a date below.' });
  if (d) {
    const n = /^\d{1,2}$/.test(d) ? Number(d) : Number.NaN;
    if (!(n >= 1 && n <= MAX_WORKING_DAYS))
      return err({ field: 'days', message: `A whole number of working days from 1 to ${MAX_WORKING_DAYS}.` });
    return ok(addWorkingDays(now, n));
  }
  const end = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T23:59:00.000Z`) : new Date(Number.NaN);
  if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== t)
    return err({ field: 'date', message: 'Pick a date from the calendar.' });
  if (end.getTime() <= now.getTime()) return err({ field: 'date', message: 'Pick a date from today on.' });
  if (end.getTime() - now.getTime() > MAX_DATE_DAYS * 86_400_000)
    return err({ field: 'date', message: 'Pick a date within a year.' });
  return ok(end);
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

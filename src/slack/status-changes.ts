import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import type { Decision } from '../store/index.js';
import { adrId } from '../team/decisions.js';
import { findByKey } from '../team/lookup.js';
import { visibleIn } from '../team/visibility.js';
import { decisionCardMessage } from './blocks/decision-card.js';
import { type Message, section, who } from './blocks/kit.js';
import type { SlackDeps } from './context.js';
import { escapeText } from './escape.js';
import { slackError } from './failures.js';

/** Where one copy of a decision card was posted. */
export type CardCopy = { channel: string; ts: string };

/** Most copies kept per record: the thread's broadcast, the decisions channel, and a few re-posts. */
const MAX_COPIES = 20;

/** Keeps where a record's card was posted, so a later status change can update every copy. */
export async function rememberCards(deps: SlackDeps, teamId: string, number: number, copies: CardCopy[]) {
  if (!copies.length) return;
  await deps.store.update(teamId, (doc) => {
    const d = findByKey(doc.decisions, (x) => x.number === number);
    if (!d) return;
    const known = d.cards ?? [];
    for (const c of copies)
      if (!known.some((k) => k.channel === c.channel && k.ts === c.ts)) known.push({ channel: c.channel, ts: c.ts });
    d.cards = known.slice(-MAX_COPIES);
  });
}

/**
 * Re-renders every stored copy of a record's card (and `also`, the one just
 * clicked, which older records may not have stored) from its current state.
 */
export async function refreshCards(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  number: number,
  also?: CardCopy,
): Promise<void> {
  if (also) await rememberCards(deps, teamId, number, [also]);
  const doc = await deps.store.read(teamId);
  const decision = findByKey(doc.decisions, (d) => d.number === number);
  if (!decision) return;
  const msg = decisionCardMessage(deps.flow, decision, { teamId, decisions: doc.decisions });
  for (const copy of decision.cards ?? []) {
    try {
      await client.chat.update({ channel: copy.channel, ts: copy.ts, ...msg });
    } catch (err) {
      deps.logger.warn(
        `mesh-help: updating a copy of ${adrId(number)}'s card in ${copy.channel} failed: ${slackError(err)}`,
      );
    }
  }
}

/** A change of a record's status worth telling the decisions channel about. */
export type StatusChange =
  | { kind: 'accepted'; actor: string }
  | { kind: 'superseded'; by: Decision }
  | { kind: 'reopened'; actor: string }
  | { kind: 'deprecated'; actor: string }
  | { kind: 'rejected'; actor: string };

const title = (d: Decision): string => `*${adrId(d.number)}* ${escapeText(d.title)}`;
const threadLink = (d: Decision): string =>
  d.permalink && /^https:\/\/[^\s<>|]+$/.test(d.permalink) ? ` · <${d.permalink}|thread>` : '';

/** The one-line notice of a status change. */
export function statusNotice(d: Decision, change: StatusChange): Message {
  const text = match(change)
    .with({ kind: 'accepted' }, (c) => `:white_check_mark: ${title(d)} was accepted by ${who(c.actor)}.`)
    .with({ kind: 'superseded' }, (c) => `:arrows_counterclockwise: ${title(d)} is superseded by ${title(c.by)}.`)
    .with(
      { kind: 'reopened' },
      (c) => `:leftwards_arrow_with_hook: ${title(d)} was reopened by ${who(c.actor)}: proposed again.`,
    )
    .with({ kind: 'deprecated' }, (c) => `:wastebasket: ${title(d)} was deprecated by ${who(c.actor)}.`)
    .with({ kind: 'rejected' }, (c) => `:x: ${title(d)} was rejected by ${who(c.actor)}.`)
    .exhaustive();
  const line = `${text}${threadLink(d)}`;
  return { text: `${adrId(d.number)}: ${change.kind}`, blocks: [section(line)] };
}

/** Posts the notice in the team's decisions channel, when one is set; a failure is logged, never thrown. */
export async function announce(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  number: number,
  change: StatusChange,
): Promise<void> {
  const doc = await deps.store.read(teamId);
  const channel = doc.config.decisionsChannel;
  const decision = findByKey(doc.decisions, (d) => d.number === number);
  if (!channel || !decision) return;
  // A record of a private conversation is not announced elsewhere (nor one that a private record supersedes).
  if (!visibleIn(decision, channel) || (change.kind === 'superseded' && !visibleIn(change.by, channel))) return;
  try {
    await client.chat.postMessage({ channel, ...statusNotice(decision, change) });
  } catch (err) {
    deps.logger.warn(`mesh-help: announcing ${adrId(number)} in ${channel} failed: ${slackError(err)}`);
  }
}

/** A one-line note in the record's own thread; a failure is logged, not thrown (every card copy already says it). */
export async function noteInThread(
  deps: SlackDeps,
  client: WebClient,
  decision: Pick<Decision, 'channel' | 'threadTs'>,
  note: string,
  what: string,
): Promise<void> {
  const { channel, threadTs } = decision;
  if (!channel || !threadTs) return;
  try {
    await client.chat.postMessage({ channel, thread_ts: threadTs, text: note, blocks: [section(note)] });
  } catch (err) {
    deps.logger.warn(`mesh-help: noting the ${what} failed: ${slackError(err)}`);
  }
}

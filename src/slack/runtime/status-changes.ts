import { match } from 'ts-pattern';
import { isPending } from '../../domain/claims.js';
import type { StatusChange } from '../../domain/machine/effects.js';
import { adrId } from '../../domain/machine/record.js';
import { chosenNames } from '../../domain/presentation.js';
import type { Flow } from '../../engine/flow.js';
import { type Decision, decisionByNumber } from '../../store/index.js';
import { visibleIn } from '../../team/visibility.js';
import { decisionCardMessage } from '../blocks/decision-card.js';
import { type Message, section, who } from '../blocks/kit.js';
import { rootMessage } from '../blocks/root.js';
import { clip, escapeText } from '../escape.js';
import type { Run } from './effects.js';

/** Where one copy of a decision card was posted. */
export type CardCopy = { channel: string; ts: string };

/** Re-renders every stored copy of a record's card from the run's state of the record. */
export async function refreshCards(run: Run, number: number): Promise<void> {
  const decision = decisionByNumber(run.doc, number);
  if (!decision) return;
  const msg = decisionCardMessage(run.deps.flow, decision, { teamId: run.teamId, decisions: run.doc.decisions });
  for (const copy of decision.cards ?? []) {
    await run.attempt(`updating a copy of ${adrId(number)}'s card in ${copy.channel}`, () =>
      run.client.chat.update({ channel: copy.channel, ts: copy.ts, ...msg }),
    );
  }
  // The channel's root message says where the decision stands (decided, superseded…), kept current in place.
  const s = run.doc.sessions.find((x) => x.decisionNumber === number);
  const rootTs = s?.rootTs ?? s?.threadTs;
  if (s?.channel && rootTs && !isPending(rootTs)) {
    const channel = s.channel;
    await run.attempt(`updating the root message of ${adrId(number)}`, () =>
      run.client.chat.update({ channel, ts: rootTs, ...rootMessage(run.deps.flow, s, decision) }),
    );
  }
}

const title = (d: Decision): string => `*${adrId(d.number)}* ${escapeText(clip(d.title, 200))}`;
const threadLink = (d: Decision): string =>
  d.permalink && /^https:\/\/[^\s<>|]+$/.test(d.permalink) ? ` · <${d.permalink}|thread>` : '';

/** A channel notice is one line people read in passing (issue #17: at most 800 characters). */
export const NOTICE_MAX = 800;

/**
 * The one-line notice of a status change, in the channel and the decisions
 * channel; an accepted record names what was chosen, tools first.
 */
export function statusNotice(flow: Flow, d: Decision, change: StatusChange, successor?: Decision): Message {
  const chosen = escapeText(clip(chosenNames(flow, d).join(' + '), 300));
  const text = match(change)
    .with(
      { kind: 'accepted' },
      (c) => `:white_check_mark: ${title(d)} was accepted by ${who(c.actor)}. Chosen: *${chosen}*.`,
    )
    .with(
      { kind: 'superseded' },
      (c) =>
        `:arrows_counterclockwise: ${title(d)} is superseded by ${successor ? title(successor) : `*${adrId(c.by)}*`}.`,
    )
    .with(
      { kind: 'reopened' },
      (c) => `:leftwards_arrow_with_hook: ${title(d)} was reopened by ${who(c.actor)}: proposed again.`,
    )
    .with({ kind: 'deprecated' }, (c) => `:wastebasket: ${title(d)} was deprecated by ${who(c.actor)}.`)
    .with({ kind: 'rejected' }, (c) => `:x: ${title(d)} was rejected by ${who(c.actor)}.`)
    .exhaustive();
  const line = clip(`${text}${threadLink(d)}`, NOTICE_MAX);
  return { text: `${adrId(d.number)} ${change.kind}: ${escapeText(clip(d.title, 200))}`, blocks: [section(line)] };
}

/** Posts the notice in the team's decisions channel, when one is set; a failure is logged, never thrown. */
export async function announce(run: Run, number: number, change: StatusChange): Promise<void> {
  const channel = run.doc.config.decisionsChannel;
  const decision = decisionByNumber(run.doc, number);
  if (!channel || !decision) return;
  const successor = change.kind === 'superseded' ? decisionByNumber(run.doc, change.by) : undefined;
  // A record of a private conversation is not announced elsewhere (nor one that a private record supersedes).
  if (!visibleIn(decision, channel) || (successor && !visibleIn(successor, channel))) return;
  // The interview's own channel already got the acceptance notice with the decision card.
  if (change.kind === 'accepted' && channel === decision.channel) return;
  await run.attempt(`announcing ${adrId(number)} in ${channel}`, () =>
    run.client.chat.postMessage({ channel, ...statusNotice(run.deps.flow, decision, change, successor) }),
  );
}

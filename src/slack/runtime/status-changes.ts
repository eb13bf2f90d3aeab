import { match } from 'ts-pattern';
import type { StatusChange } from '../../domain/machine/effects.js';
import { adrId } from '../../domain/machine/record.js';
import type { Decision } from '../../store/index.js';
import { findByKey } from '../../team/lookup.js';
import { visibleIn } from '../../team/visibility.js';
import { decisionCardMessage } from '../blocks/decision-card.js';
import { type Message, section, who } from '../blocks/kit.js';
import { escapeText } from '../escape.js';
import type { Run } from './effects.js';

/** Where one copy of a decision card was posted. */
export type CardCopy = { channel: string; ts: string };

/** Re-renders every stored copy of a record's card from the run's state of the record. */
export async function refreshCards(run: Run, number: number): Promise<void> {
  const decision = findByKey(run.doc.decisions, (d) => d.number === number);
  if (!decision) return;
  const msg = decisionCardMessage(run.deps.flow, decision, { teamId: run.teamId, decisions: run.doc.decisions });
  for (const copy of decision.cards ?? []) {
    await run.attempt(`updating a copy of ${adrId(number)}'s card in ${copy.channel}`, () =>
      run.client.chat.update({ channel: copy.channel, ts: copy.ts, ...msg }),
    );
  }
}

const title = (d: Decision): string => `*${adrId(d.number)}* ${escapeText(d.title)}`;
const threadLink = (d: Decision): string =>
  d.permalink && /^https:\/\/[^\s<>|]+$/.test(d.permalink) ? ` · <${d.permalink}|thread>` : '';

/** The one-line notice of a status change. */
export function statusNotice(d: Decision, change: StatusChange, successor?: Decision): Message {
  const text = match(change)
    .with({ kind: 'accepted' }, (c) => `:white_check_mark: ${title(d)} was accepted by ${who(c.actor)}.`)
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
  const line = `${text}${threadLink(d)}`;
  return { text: `${adrId(d.number)}: ${change.kind}`, blocks: [section(line)] };
}

/** Posts the notice in the team's decisions channel, when one is set; a failure is logged, never thrown. */
export async function announce(run: Run, number: number, change: StatusChange): Promise<void> {
  const channel = run.doc.config.decisionsChannel;
  const decision = findByKey(run.doc.decisions, (d) => d.number === number);
  if (!channel || !decision) return;
  const successor =
    change.kind === 'superseded' ? findByKey(run.doc.decisions, (d) => d.number === change.by) : undefined;
  // A record of a private conversation is not announced elsewhere (nor one that a private record supersedes).
  if (!visibleIn(decision, channel) || (successor && !visibleIn(successor, channel))) return;
  await run.attempt(`announcing ${adrId(number)} in ${channel}`, () =>
    run.client.chat.postMessage({ channel, ...statusNotice(decision, change, successor) }),
  );
}

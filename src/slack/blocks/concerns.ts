import type { KnownBlock } from '@slack/types';
import type { Concern } from '../../domain/model.js';
import { escapeText } from '../escape.js';
import { CONCERN, concernBlockId } from '../ids.js';
import { actions, button, context, day, section, who } from './kit.js';

/** The concerns a card shows (a session's or a decision's). */
export type ConcernList = readonly Concern[];

/** At most this many open concerns are listed on a card, each with its resolve button; summary lists them all. */
export const CONCERNS_SHOWN = 5;

/**
 * The concern part of a card (recommendation or decision card): each open
 * concern with a resolve button, then the button that raises one. Kept apart
 * so both cards include the same blocks and the same ids.
 */
export function concernBlocks(concerns: ConcernList): KnownBlock[] {
  const open = concerns.filter((c) => !c.resolvedAt);
  const resolved = concerns.length - open.length;
  const blocks: KnownBlock[] = open.slice(0, CONCERNS_SHOWN).map((c) =>
    section(`:raised_hand: *Concern* from ${who(c.by)} (${day(c.at)}): “${escapeText(c.text)}”`, {
      block_id: concernBlockId(c.id),
      accessory: button('Resolve', CONCERN.resolve, c.id),
    }),
  );
  const notes = [
    ...(open.length > CONCERNS_SHOWN
      ? [`${open.length - CONCERNS_SHOWN} more open; \`@mesh-help summary\` lists them all.`]
      : []),
    ...(resolved ? [`${resolved} resolved.`] : []),
  ];
  if (notes.length) blocks.push(context(notes.join(' ')));
  blocks.push(actions(CONCERN.block, [button('Raise a concern', CONCERN.raise, 'raise')]));
  return blocks;
}

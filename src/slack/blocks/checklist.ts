import { createHash } from 'node:crypto';
import type { Checkboxes, KnownBlock, MrkdwnOption } from '@slack/types';
import { match } from 'ts-pattern';
import { type ChecklistLine, checklistProgress } from '../../engine/checklist.js';
import type { Flow } from '../../engine/flow.js';
import { clip, escapeText } from '../escape.js';
import { CHECKLIST_TICKS, checklistBlockId } from '../ids.js';
import { actions, context, day, header, LIMITS, type Message, mrkdwn, plain } from './kit.js';

/** A posted checklist is current (takes ticks) or replaced, after an answer changed the recommendation. */
export type ChecklistState = 'active' | 'replaced';

/** Header, intro and closing context: the blocks every checklist message has besides its groups. */
const FIXED_BLOCKS = 3;
/** Options per checkboxes element: Block Kit's limit. */
export const GROUP_SIZE = 10;
/** Option text and description: Block Kit's limit for each. */
const OPTION_TEXT = 75;
/** The most items one message can show: one checkboxes element per block, ten options each. */
export const MAX_ITEMS = (LIMITS.messageBlocks - FIXED_BLOCKS) * GROUP_SIZE;

/** Who ticked, as plain text (a description cannot mention): the Slack handle when known. */
const tickedBy = (line: ChecklistLine): string => {
  const tick = line.tick;
  if (!tick) return '';
  const name = tick.byName ? `@${tick.byName}` : tick.by;
  return `Ticked by ${clip(escapeText(name), 30)} on ${escapeText(day(tick.at))}`;
};

/** Cuts to `max` at a word boundary when one is near, so a clipped item still reads as words. */
function clipWords(text: string, max: number): string {
  const cut = clip(text, max);
  if (cut === text) return cut;
  // An escape sequence has no space, so cutting at one never splits it.
  const space = cut.lastIndexOf(' ');
  return space >= max - 25 ? `${cut.slice(0, space).replace(/[\s,;:.—-]+$/, '')}…` : cut;
}

/** The line under an item: who ticked it and when (never cut), then why, as far as the option allows. */
function description(line: ChecklistLine): string {
  const tick = tickedBy(line);
  const why = `Why: ${escapeText(line.because)}`;
  if (!tick) return clipWords(why, OPTION_TEXT);
  const room = OPTION_TEXT - tick.length - 3;
  return room > 10 ? `${tick} · ${clipWords(why, room)}` : tick;
}

const option = (line: ChecklistLine): MrkdwnOption => ({
  text: mrkdwn(clipWords(escapeText(line.item), OPTION_TEXT)),
  description: plain(description(line), OPTION_TEXT),
  value: line.key,
});

/** A short version of a group's ticks: it changes with every tick and untick, so Slack drops a stale selection. */
const version = (group: readonly ChecklistLine[]): string =>
  createHash('sha256')
    .update(JSON.stringify(group.map((l) => [l.key, l.tick?.by ?? '', l.tick?.at ?? ''])))
    .digest('hex')
    .slice(0, 8);

/** One checkboxes element per ten items, ticked items selected; the block_id names what it shows ticked. */
function groups(lines: ChecklistLine[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let start = 0, g = 0; start < lines.length; start += GROUP_SIZE, g++) {
    const group = lines.slice(start, start + GROUP_SIZE);
    const options = group.map(option);
    const selected = options.filter((_, i) => group[i]?.tick);
    const boxes: Checkboxes = {
      type: 'checkboxes',
      action_id: CHECKLIST_TICKS,
      options,
      ...(selected.length ? { initial_options: selected } : {}),
    };
    const ticked = group.filter((l) => l.tick).map((l) => l.key);
    blocks.push(actions(checklistBlockId(g, version(group), ticked), [boxes]));
  }
  return blocks;
}

/**
 * The readiness checklist posted under the recommendation card: its items as
 * checkboxes (ten to an element), each with why and who ticked it, and the
 * progress. Block Kit allows 75 characters for an option and for its
 * description, so long items and reasons are cut at a word; the decision
 * record keeps them whole. `_flow` is kept so every message builder is called
 * alike. Items that share a key are shown once; past MAX_ITEMS the rest is
 * named, not shown.
 */
export function checklistMessage(_flow: Flow, all: readonly ChecklistLine[], state: ChecklistState): Message {
  const seen = new Set<string>();
  const lines = all.filter((l) => !seen.has(l.key) && seen.add(l.key));
  const { done, total } = checklistProgress(lines);
  return match(state)
    .with('replaced', () => ({
      text: 'Readiness checklist (replaced)',
      blocks: [
        header('Readiness checklist (replaced)'),
        context(
          ':arrows_counterclockwise: An answer changed, so this checklist no longer holds. The newest recommendation card brings its own; items it still lists keep their ticks.',
        ),
      ],
    }))
    .with('active', () => {
      const shown = lines.slice(0, MAX_ITEMS);
      const hidden = lines.length - shown.length;
      const progress = `*${done} of ${total} done*${hidden > 0 ? ` · ${hidden} more items are not shown here; the decision record lists them all.` : ''}`;
      return {
        text: `Readiness checklist: ${done} of ${total} done`,
        blocks: [
          header(`Readiness checklist: ${done} of ${total} done`),
          context(
            'What must be true before the first cluster changes, for the recommendation above. Anyone on the team can tick an item; who ticked what is kept with the decision.',
          ),
          ...groups(shown),
          context(progress),
        ],
      };
    })
    .exhaustive();
}

import type { KnownBlock } from '@slack/types';
import { match } from 'ts-pattern';
import { type ChecklistLine, checklistProgress } from '../../engine/checklist.js';
import type { Flow } from '../../engine/flow.js';
import { clip, escapeText } from '../escape.js';
import { checklistActionId, checklistBlockId, checklistValue } from '../ids.js';
import { actions, button, context, day, header, LIMITS, type Message, section, who } from './kit.js';
import { patternName } from './labels.js';

/** A posted checklist is current (takes ticks) or replaced, after an answer changed the recommendation. */
export type ChecklistState = 'active' | 'replaced';

/** Header, intro and closing context: the blocks every checklist message has besides its items. */
const FIXED_BLOCKS = 3;
/** Items that get a section (and a button) each; past this they are grouped. */
export const ITEMS_ONE_EACH = LIMITS.messageBlocks - FIXED_BLOCKS;
/** A group is a section listing its items plus an actions block with one button per item. */
const MAX_GROUPS = Math.floor(ITEMS_ONE_EACH / 2);
/** Items per group at most: ten lines keep each one readable within a section's 3000 characters. */
const MAX_GROUP_SIZE = 10;
/** The most items one message can show with a button each. */
export const MAX_ITEMS = MAX_GROUPS * MAX_GROUP_SIZE;

/** An item in a section of its own (why and who ticked on their own lines), or as one line of a group. */
type Layout = 'own' | 'grouped';

const tickText = (line: ChecklistLine, layout: Layout): string =>
  line.tick
    ? `${layout === 'own' ? '\n' : ' · '}ticked by ${who(line.tick.by)} on ${escapeText(day(line.tick.at))}`
    : '';

/** One item as mrkdwn within `max` characters: the box, the pattern, the item and why; who ticked it is never cut. */
function itemText(flow: Flow, line: ChecklistLine, max: number, layout: Layout, number?: number): string {
  const box = line.tick ? '✅' : '☐';
  const prefix = `${box} ${number === undefined ? '' : `*${number}.* `}`;
  const sep = layout === 'own' ? '\n' : ' — ';
  const body = `*${escapeText(patternName(flow, line.pattern))}*: ${escapeText(line.item)}${sep}_why:_ ${escapeText(line.because)}`;
  const tick = tickText(line, layout);
  return `${prefix}${clip(body, max - prefix.length - tick.length)}${tick}`;
}

const toggle = (line: ChecklistLine, label: (done: boolean) => string, n?: number) =>
  line.tick
    ? button(label(false), checklistActionId(n), checklistValue('untick', line.key))
    : // Plain buttons: Slack reserves `primary` for a message's one main action, and a checklist has none.
      button(label(true), checklistActionId(n), checklistValue('tick', line.key));

/** One section per item, its Done / Undo button beside it. */
const oneEach = (flow: Flow, lines: ChecklistLine[]): KnownBlock[] =>
  lines.map((line) =>
    section(itemText(flow, line, LIMITS.text, 'own'), {
      block_id: checklistBlockId(line.key),
      accessory: toggle(line, (done) => (done ? 'Done' : 'Undo')),
    }),
  );

/** Numbered items in groups: a section listing a group, then its numbered buttons. */
function grouped(flow: Flow, lines: ChecklistLine[]): KnownBlock[] {
  const size = Math.min(MAX_GROUP_SIZE, Math.ceil(lines.length / MAX_GROUPS));
  const perLine = Math.floor(LIMITS.text / size) - 1;
  const blocks: KnownBlock[] = [];
  for (let start = 0, g = 0; start < lines.length; start += size, g++) {
    const group = lines.slice(start, start + size);
    blocks.push(
      section(group.map((line, i) => itemText(flow, line, perLine, 'grouped', start + i + 1)).join('\n'), {
        block_id: checklistBlockId(`g${g}`),
      }),
      actions(
        checklistBlockId(`g${g}:buttons`),
        group.map((line, i) => toggle(line, (done) => `${done ? 'Done' : 'Undo'} ${start + i + 1}`, start + i + 1)),
      ),
    );
  }
  return blocks;
}

/**
 * The readiness checklist posted under the recommendation card: one line per
 * item with who ticked it, a Done / Undo button each, and the progress. Items
 * that share a key are shown once; a checklist too long for one section per
 * item is grouped, and past MAX_ITEMS the rest is named, not shown.
 */
export function checklistMessage(flow: Flow, all: readonly ChecklistLine[], state: ChecklistState): Message {
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
          ...(shown.length > ITEMS_ONE_EACH ? grouped(flow, shown) : oneEach(flow, shown)),
          context(progress),
        ],
      };
    })
    .exhaustive();
}

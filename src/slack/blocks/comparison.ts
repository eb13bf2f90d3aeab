import type { KnownBlock } from '@slack/types';
import { UNUSABLE_STATUSES } from '../../engine/contract.js';
import type { Flow, Pattern, Tool } from '../../engine/flow.js';
import { toolStatusLine, toolsOf } from '../../engine/tools.js';
import { escapeText } from '../escape.js';
import { ACTIONS } from '../ids.js';
import { actions, button, context, divider, fields, header, type Message, section, who } from './kit.js';
import { patternName } from './labels.js';

const bullets = (title: string, lines: string[]): string =>
  `*${title}*\n${lines.map((l) => `• ${escapeText(l)}`).join('\n')}`;

/** Which tools a comparison names: by default every tool that can still be used (not archived, not ended). */
export type ToolFilter = (tool: Tool) => boolean;
const usable: ToolFilter = (t) => !UNUSABLE_STATUSES.includes(t.status);

/** One pattern's card: name, layer and what it solves, then its traits as two-column fields. */
export function patternCard(flow: Flow, p: Pattern, shows: ToolFilter = usable): KnownBlock[] {
  return [
    section(`*${escapeText(p.name)}*  ·  _${escapeText(p.layer)}_\n${escapeText(p.solves)}`),
    fields([
      bullets('Shines when', p.shines),
      bullets('Not when', p.avoidWhen),
      bullets('Pros', p.pros),
      bullets('Cons', p.cons),
      bullets(
        'Example tools',
        toolsOf(flow, p.id)
          .filter((t) => usable(t) && shows(t))
          .map((t) => `${t.name} (${toolStatusLine(t)})`),
      ),
      bullets('Needs', p.requirements),
    ]),
  ];
}

/** Cards for the given patterns, divided; the same cards appear in `compare` and in the recommendation. */
export function comparisonBlocks(flow: Flow, ids: readonly string[], shows: ToolFilter = usable): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (const id of ids) {
    const p = flow.patternById.get(id);
    if (!p) continue;
    if (out.length) out.push(divider());
    out.push(...patternCard(flow, p, shows));
  }
  return out;
}

/** The `compare` message: the patterns side by side (all of them when none are named). */
export function comparisonMessage(flow: Flow, ids: readonly string[]): Message {
  const shown = ids.length ? ids : flow.patterns.map((p) => p.id);
  const names = shown.map((id) => patternName(flow, id));
  return {
    text: `Comparing ${names.join(', ')}`,
    blocks: [
      header(shown.length === flow.patterns.length ? 'All patterns side by side' : `Compare: ${names.join(' vs ')}`),
      ...comparisonBlocks(flow, shown),
      context('Layer, what it solves, when it shines and when not, pros, cons and the tools that run it today.'),
    ],
  };
}

/** Compared pattern ids as the Share button carries them (none: all patterns). */
export const comparedValue = (ids: readonly string[]): string => ids.join(',');
export function parseCompared(flow: Flow, value: string | undefined): string[] | undefined {
  const ids = (value ?? '').split(',').filter(Boolean);
  return ids.every((id) => flow.patternById.has(id)) ? ids : undefined;
}

/** The private `compare` answer: the comparison, and a button that shares it with the channel. */
export function privateComparison(flow: Flow, ids: readonly string[]): Message {
  const msg = comparisonMessage(flow, ids);
  return {
    ...msg,
    blocks: [...msg.blocks, actions('compare', [button('Share in channel', ACTIONS.shareCompare, comparedValue(ids))])],
  };
}

/** The comparison as the channel sees it once shared, saying who shared it. */
export function sharedComparison(flow: Flow, ids: readonly string[], by: string): Message {
  const msg = comparisonMessage(flow, ids);
  return { ...msg, blocks: [...msg.blocks, context(`Shared by ${who(by)}.`)] };
}

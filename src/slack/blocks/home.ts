import type { HomeView, KnownBlock } from '@slack/types';
import type { Flow } from '../../engine/flow.js';
import type { TeamDoc } from '../../store/schema.js';
import { escapeText } from '../escape.js';
import { ACTIONS } from '../ids.js';
import { type LeftOut, leftOutLine, logBlocks } from './decisions.js';
import { actions, button, context, divider, header, section } from './kit.js';

/** The App Home tab: a start button, the open interviews and the decision log. */
export function homeView(flow: Flow, doc: TeamDoc, notice?: string, leftOut?: LeftOut): HomeView {
  const hidden = leftOutLine(leftOut);
  const blocks: KnownBlock[] = [
    header('mesh-help'),
    section(
      'Service mesh, cluster mesh, federation or none: an interview about what hurts, then a recommendation your team can accept or override.',
    ),
  ];
  if (notice) blocks.push(section(`:warning: ${escapeText(notice)}`));
  blocks.push(
    actions('home', [button('Start an interview', ACTIONS.homeStart, 'start', 'primary')]),
    divider(),
    ...logBlocks(flow, doc, 60),
    ...(hidden ? [context(hidden)] : []),
    context(`${flow.patterns.length} patterns in the catalogue · \`/mesh-help help\` for the commands`),
  );
  return { type: 'home', blocks };
}

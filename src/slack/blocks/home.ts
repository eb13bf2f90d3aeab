import type { HomeView, KnownBlock } from '@slack/types';
import { count } from '../../domain/plural.js';
import type { Flow } from '../../engine/flow.js';
import type { TeamDoc } from '../../store/schema.js';
import { type OrgLog, orgRef } from '../../team/org-log.js';
import { escapeText } from '../escape.js';
import { ACTIONS, COMMAND } from '../ids.js';
import { type LeftOut, leftOutLine, logBlocks } from './decisions.js';
import { actions, button, context, divider, header, listSections, section } from './kit.js';
import { patternNames } from './labels.js';

/** The organisation's log in short: how many records and teams, and every conflict on a shared cluster. */
function orgBlocks(flow: Flow, org: OrgLog): KnownBlock[] {
  const conflicts = org.conflicts.map(
    (c) =>
      `:warning: \`${escapeText(c.scope)}\`: *${escapeText(orgRef(c.a))}* (${escapeText(patternNames(flow, c.a.chosen))}) vs *${escapeText(orgRef(c.b))}* (${escapeText(patternNames(flow, c.b.chosen))})`,
  );
  return [
    divider(),
    ...listSections(
      'Across the organisation',
      [
        `${count(org.records.length, 'decision')} in ${count(org.teams, 'team')}, ${count(org.conflicts.length, 'conflict')} on shared clusters or environments. \`${COMMAND} decisions all\` lists and filters them.`,
        ...conflicts,
      ],
      4,
    ),
  ];
}

/** The App Home tab: a start button, the open interviews and the decision log. */
export function homeView(flow: Flow, doc: TeamDoc, notice?: string, leftOut?: LeftOut, org?: OrgLog): HomeView {
  const hidden = leftOutLine(leftOut);
  const blocks: KnownBlock[] = [
    header('mesh-help'),
    section(
      'Service mesh, cluster mesh, federation or none: an interview about what hurts, then a recommendation your team can accept or override.',
    ),
  ];
  if (notice) blocks.push(section(`:warning: ${escapeText(notice)}`));
  blocks.push(
    actions('home', [
      button('Start an interview', ACTIONS.homeStart, 'start', 'primary'),
      button('Settings', ACTIONS.homeSettings, 'settings'),
    ]),
    divider(),
    ...logBlocks(flow, doc, 60),
    ...(hidden ? [context(hidden)] : []),
    ...(org ? orgBlocks(flow, org) : []),
    context(`${flow.patterns.length} patterns in the catalogue · \`/mesh-help help\` for the commands`),
  );
  return { type: 'home', blocks };
}

import { count } from '../../domain/plural.js';
import type { Flow } from '../../engine/flow.js';
import { type OrgFilters, type OrgLog, type OrgRecord, orgRef } from '../../team/org-log.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import { context, header, listSections, type Message, section } from './kit.js';
import { patternNames } from './labels.js';

function recordLine(flow: Flow, r: OrgRecord): string {
  const link = r.permalink && /^https:\/\/[^\s<>|]+$/.test(r.permalink) ? ` · <${r.permalink}|thread>` : '';
  const scope = r.scope.length ? ` · ${r.scope.map((s) => `\`${escapeText(s)}\``).join(' ')}` : '';
  const flag = r.conflicts.length
    ? ` · :warning: conflicts with ${r.conflicts.map((c) => `*${escapeText(c.with)}* on \`${escapeText(c.scope)}\``).join(', ')}`
    : '';
  return `*${escapeText(orgRef(r))}* ${escapeText(r.title)} · _${r.status}_ · ${escapeText(patternNames(flow, r.chosen))}${scope} · ${r.date}${link}${flag}`;
}

const describe = (f: OrgFilters): string =>
  Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `\`${k}:${escapeText(String(v))}\``)
    .join(' ');

/** `/mesh-help decisions all`: every team's records the person may see, conflicts first. */
export function orgLogMessage(flow: Flow, log: OrgLog, filters: OrgFilters, onlyOwnTeam: boolean): Message {
  const filtered = describe(filters);
  const conflicts = log.conflicts.map(
    (c) =>
      `:warning: \`${escapeText(c.scope)}\`: *${escapeText(orgRef(c.a))}* ${escapeText(c.a.title)} (${escapeText(patternNames(flow, c.a.chosen))}) vs *${escapeText(orgRef(c.b))}* ${escapeText(c.b.title)} (${escapeText(patternNames(flow, c.b.chosen))})`,
  );
  return {
    text: `${count(log.records.length, 'decision')} across ${count(log.teams, 'team')}, ${count(log.conflicts.length, 'conflict')}`,
    blocks: [
      header('Decisions across the organisation'),
      ...(filtered ? [context(`Filtered by ${filtered}`)] : []),
      ...(conflicts.length ? listSections('Conflicts on shared clusters or environments', conflicts, 5) : []),
      ...(log.records.length
        ? listSections(
            count(log.records.length, 'decision'),
            log.records.map((r) => recordLine(flow, r)),
            20,
          )
        : [section('No decision matches.')]),
      context(
        `${onlyOwnTeam ? 'You see this workspace’s records only: other workspaces’ logs are for their own members. ' : ''}Filters: \`status:\`, \`pattern:\`, \`tool:\`, \`team:\`, \`scope:\`. Tag a decision with \`${COMMAND} start <title> scope: prod-eu, staging\`. \`mesh-help decisions --all --json\` on the command line gives the same log.`,
      ),
    ],
  };
}

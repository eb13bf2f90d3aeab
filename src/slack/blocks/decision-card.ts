import type { KnownBlock } from '@slack/types';
import { match } from 'ts-pattern';
import { adrFileOf } from '../../adr/index.js';
import { openDrifts } from '../../domain/drift.js';
import type { Decision, DecisionStatus } from '../../domain/model.js';
import { count } from '../../domain/plural.js';
import {
  adrId,
  choiceView,
  chosenNames,
  decisionDrivers,
  decisionOutcomes,
  type RecordAction,
  reasonLine,
  recordActions,
} from '../../domain/presentation.js';
import type { Flow } from '../../engine/flow.js';
import { describeRuleChange } from '../../team/governance.js';
import { escapeText } from '../escape.js';
import { ACTIONS, decisionCardBlockId, exportChoiceValue, recordRef } from '../ids.js';
import { DRIFT_MARKER } from './drift.js';
import {
  actions,
  button,
  context,
  day,
  fields,
  header,
  listSections,
  type Message,
  plain,
  section,
  who,
} from './kit.js';
import { patternNames } from './labels.js';

/** What the card needs besides the record: its team (for the buttons) and the log (for supersede links). */
export type DecisionCardContext = { teamId: string; decisions: readonly Decision[] };

const statusEmoji = (s: DecisionStatus): string =>
  match(s)
    .with('accepted', () => ':white_check_mark:')
    .with('proposed', () => ':hourglass_flowing_sand:')
    .with('rejected', () => ':x:')
    .with('deprecated', () => ':wastebasket:')
    .with('superseded', () => ':arrows_counterclockwise:')
    .exhaustive();

const ref = (d: Decision | undefined, n: number): string =>
  d ? `*${adrId(n)}* ${escapeText(d.title)}` : `*${adrId(n)}*`;

/** Drivers shown on the card; the ADR keeps them all. */
const DRIVERS_SHOWN = 4;

/** The answers the chosen patterns rest on, each reason once, with the answer it rests on. */
function driverLines(flow: Flow, d: Decision): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of decisionDrivers(flow, d).answers) {
    if (seen.has(r.because)) continue;
    seen.add(r.because);
    const line = reasonLine(flow, d.answers, r);
    const answer =
      r.prompt !== undefined && line.answer.length
        ? ` _(${escapeText(r.prompt)} → ${escapeText(line.answer.join(', '))})_`
        : '';
    lines.push(`• ${escapeText(r.because)}${answer}`);
  }
  const more = lines.length - DRIVERS_SHOWN;
  return more > 0 ? [...lines.slice(0, DRIVERS_SHOWN), `_…and ${more} more in the ADR._`] : lines;
}

/** What follows from the decision for this team (warnings, readiness, tools ruled out, set aside). */
function consequenceLines(flow: Flow, d: Decision): string[] {
  return decisionOutcomes(flow, d).map((c, i) =>
    i < d.recommendation.warnings.length ? `• :warning: ${escapeText(c)}` : `• ${escapeText(c)}`,
  );
}

/** A life-cycle button of the card; the dangerous ones ask first. */
function actionButton(action: RecordAction, id: string, value: string) {
  return match(action)
    .with('reject', () => ({
      ...button('Reject', ACTIONS.reject, value, 'danger'),
      confirm: {
        title: plain('Reject this proposal?'),
        text: plain(`${id} will be recorded as rejected. Its own team can reopen it later.`),
        confirm: plain('Reject'),
        deny: plain('Cancel'),
        style: 'danger' as const,
      },
    }))
    .with('reopen', () => button('Reopen', ACTIONS.reopen, value))
    .with('deprecate', () => ({
      ...button('Deprecate', ACTIONS.deprecate, value, 'danger'),
      confirm: {
        title: plain('Deprecate this decision?'),
        text: plain(`${id} will no longer guide new work. Its own team can reopen it later.`),
        confirm: plain('Deprecate'),
        deny: plain('Cancel'),
        style: 'danger' as const,
      },
    }))
    .exhaustive();
}

/**
 * The decision card: posted when a record is accepted, in its thread, in the
 * channel and in the team's decisions channel. Title, number, status, what was
 * chosen (and overridden), drivers, consequences, revisit date, approvals, and
 * an Export menu (upload the ADR here, or open a pull request) and the status buttons.
 */
export function decisionCardMessage(flow: Flow, d: Decision, ctx: DecisionCardContext): Message {
  const id = adrId(d.number);
  const choice = choiceView(flow, d);
  const chosen = chosenNames(flow, d).join(' + ');
  const blocks: KnownBlock[] = [header(`${id}: ${d.title}`)];
  const decided = d.decidedBy ? ` by ${who(d.decidedBy)}${d.decidedAt ? ` on ${day(d.decidedAt)}` : ''}` : '';
  blocks.push(
    section(`${statusEmoji(d.status)} *${escapeText(id)}* · *${d.status}*${decided}\n*Chosen:* ${escapeText(chosen)}`),
    context(`Patterns: ${escapeText(choice.chosen.join(' + '))}`),
  );
  const drifts = openDrifts(flow, d);
  if (drifts.length) {
    blocks.push(
      section(
        `:warning: *${DRIFT_MARKER}*: ${drifts.map((v) => escapeText(v.text)).join('; ')}. Start a revisit or acknowledge it from the notice in the thread.`,
      ),
    );
  }
  if (choice.override) {
    blocks.push(
      section(
        `:twisted_rightwards_arrows: *The team overrode the recommendation.* mesh-help recommended *${escapeText(
          choice.override.recommended.join(' + '),
        )}*; the team chose *${escapeText(chosen)}* because “${escapeText(choice.override.reason ?? '')}”.`,
      ),
    );
  }
  const links: string[] = [];
  if (d.supersedes) {
    const old = ctx.decisions.find((x) => x.number === d.supersedes);
    links.push(
      d.status === 'proposed'
        ? `Revisits ${ref(old, d.supersedes)}; accepting this record supersedes it.`
        : `Supersedes ${ref(old, d.supersedes)}.`,
    );
  }
  if (d.supersededBy) {
    links.push(
      `Superseded by ${ref(
        ctx.decisions.find((x) => x.number === d.supersededBy),
        d.supersededBy,
      )}.`,
    );
  }
  if (links.length) blocks.push(section(`:link: ${links.join('\n')}`));
  const drivers = driverLines(flow, d);
  if (drivers.length) blocks.push(...listSections('Decision drivers', drivers, 1));
  const consequences = consequenceLines(flow, d);
  if (consequences.length) blocks.push(...listSections('Consequences', consequences, 1));
  const approvals = [...new Map(d.approvals.map((a) => [a.by, a])).values()];
  blocks.push(
    fields([
      `*Revisit by*\n${d.revisitOn ? escapeText(d.revisitOn) : 'not set'}`,
      `*Approvals*\n${approvals.length ? approvals.map((a) => who(a.by)).join(', ') : 'none'}`,
    ]),
  );
  if (d.ruleChanges?.length) {
    blocks.push(
      context(
        `:warning: Accepted under the rule of ${count(d.acceptedUnderApprovals ?? 0, 'approval')}. Rule changes around this decision: ${d.ruleChanges
          .map((c) => describeRuleChange(c, who))
          .join('; ')}.`,
      ),
    );
  }
  const value = recordRef(ctx.teamId, d.number);
  blocks.push(
    actions(decisionCardBlockId(d.number), [
      {
        type: 'static_select',
        action_id: ACTIONS.exportMenu,
        placeholder: plain('Export'),
        options: [
          { text: plain('Upload the ADR here'), value: exportChoiceValue('upload', ctx.teamId, d.number) },
          { text: plain('Open a pull request'), value: exportChoiceValue('pr', ctx.teamId, d.number) },
        ],
      },
      ...recordActions(d.status).map((action) => actionButton(action, id, value)),
    ]),
    context(
      `\`${escapeText(adrFileOf(d))}\` is the MADR file for your repository’s \`docs/decisions/\`. Only this team can reject, reopen or deprecate the record.`,
    ),
  );
  return {
    text: `${id} ${d.status}: ${escapeText(d.title)} (${escapeText(chosen)})`,
    blocks,
  };
}

/** The short thread note left on a record that a newer one superseded. */
export function supersededNotice(flow: Flow, old: Decision, successor: Decision): Message {
  const text = `:arrows_counterclockwise: *${adrId(old.number)}* is superseded by *${adrId(successor.number)}* ${escapeText(
    successor.title,
  )} (${escapeText(patternNames(flow, successor.chosen))}).`;
  return { text: `${adrId(old.number)} is superseded by ${adrId(successor.number)}`, blocks: [section(text)] };
}

import type { KnownBlock } from '@slack/types';
import { match } from 'ts-pattern';
import type { Approval, Decision } from '../../domain/model.js';
import { adrId, choiceView } from '../../domain/presentation.js';
import type { Answers, Flow } from '../../engine/flow.js';
import type { Reason, Recommendation } from '../../engine/recommend.js';
import { toolName, toolStatusLine } from '../../engine/tools.js';
import { escapeText } from '../escape.js';
import { ACTIONS } from '../ids.js';
import { comparisonBlocks } from './comparison.js';
import { type ConcernList, concernBlocks } from './concerns.js';
import { actions, button, context, divider, header, LIMITS, listSections, type Message, section, who } from './kit.js';
import { answerLabel, patternName, patternNames } from './labels.js';

/** Whether the card still takes a decision, was replaced by a newer one, or is decided. */
export type CardState = { kind: 'active' } | { kind: 'superseded' } | { kind: 'decided'; decision: Decision };

/** "because …: from “How many clusters?” → Clusters in several regions" */
function reasonLine(flow: Flow, answers: Answers, r: Reason): string {
  const q = flow.questionById.get(r.question);
  const from = q ? ` _(${escapeText(q.prompt)} → ${escapeText(answerLabel(flow, q.id, answers[q.id]))})_` : '';
  return `• ${escapeText(r.because)}${from}`;
}

const toolLabel = (flow: Flow, id: string): string => {
  const tool = flow.toolById.get(id);
  return `*${escapeText(toolName(flow, id))}*${tool ? ` (${escapeText(toolStatusLine(tool))})` : ''}`;
};

/** Per recommended layer: the first-choice tool and why, the alternatives, and what to avoid and why. */
function toolsLines(flow: Flow, rec: Recommendation): string[] {
  const lines: string[] = [];
  for (const pattern of [rec.primary, ...rec.complements]) {
    const choices = rec.tools.filter((t) => t.pattern === pattern);
    if (!choices.length) continue;
    const first = choices.find((t) => t.fit === 'first-choice');
    const alternatives = choices.filter((t) => t.fit === 'alternative');
    lines.push(
      `*${escapeText(patternName(flow, pattern))}*${first ? ` · first choice ${toolLabel(flow, first.tool)}: ${escapeText(first.because)}` : ''}`,
    );
    if (alternatives.length) {
      lines.push(`   Alternatives: ${alternatives.map((t) => toolLabel(flow, t.tool)).join(', ')}`);
    }
    for (const t of choices.filter((x) => x.fit === 'avoid')) {
      lines.push(`   :no_entry_sign: Avoid ${toolLabel(flow, t.tool)}: ${escapeText(t.because)}`);
    }
  }
  return lines;
}

export type CardInput = {
  title: string;
  answers: Answers;
  recommendation: Recommendation;
  /** Approvals so far (one per person) and how many the team requires before accepting. */
  approvals?: readonly Approval[];
  approvalsNeeded?: number;
  /** Concerns raised before the decision; open ones are listed with a resolve button. */
  concerns?: ConcernList;
};

/** "Approvals: 1 of 2 (@alice)": shown while the team's rule asks for approvals. */
export function approvalsLine(approvals: readonly Approval[], needed: number): string {
  const people = [...new Set(approvals.map((a) => a.by))];
  const names = people.length ? ` (${people.map(who).join(', ')})` : '';
  const left = Math.max(0, needed - people.length);
  return `:ballot_box_with_check: Approvals: *${Math.min(people.length, needed)} of ${needed}*${names}. ${
    left ? `Accepting needs ${left} more from different people.` : 'Ready to accept.'
  }`;
}

/** The recommendation card: primary and complements, reasons with their answers, warnings, ruled out, and the decision buttons. */
export function recommendationMessage(flow: Flow, input: CardInput, state: CardState): Message {
  const rec = input.recommendation;
  const named = [rec.primary, ...rec.complements];
  const blocks: KnownBlock[] = [header(`Recommendation: ${patternNames(flow, named)}`)];
  blocks.push(
    section(
      `*${escapeText(input.title)}*\nPrimary: *${escapeText(patternName(flow, rec.primary))}*${
        rec.complements.length ? `\nTogether with: *${escapeText(patternNames(flow, rec.complements))}*` : ''
      }`,
    ),
  );
  for (const id of named) {
    const reasons = rec.reasons.filter((r) => r.pattern === id);
    if (reasons.length) {
      blocks.push(
        ...listSections(
          `Why ${escapeText(patternName(flow, id))}`,
          reasons.map((r) => reasonLine(flow, input.answers, r)),
          2,
        ),
      );
    }
  }
  if (rec.warnings.length) {
    blocks.push(
      ...listSections(
        'Watch out',
        rec.warnings.map((w) => `:warning: ${escapeText(w)}`),
        2,
      ),
    );
  }
  const toolLines = toolsLines(flow, rec);
  if (toolLines.length) blocks.push(...listSections('Tools', toolLines, 2));
  if (rec.checklist.length) {
    blocks.push(
      context(
        `:clipboard: ${rec.checklist.length} readiness ${rec.checklist.length === 1 ? 'check' : 'checks'} to do before the first cluster changes; the checklist is in the thread.`,
      ),
    );
  }
  if (rec.notNow.length) {
    const lines = rec.notNow.flatMap((id) => [
      `*${escapeText(patternName(flow, id))}*`,
      ...rec.reasons.filter((r) => r.pattern === id).map((r) => reasonLine(flow, input.answers, r)),
    ]);
    blocks.push(...listSections('Ruled out for now', lines, 3));
  }
  // Concerns stay on the card (the decision's, once decided) until resolved; a replaced card has none.
  const concerns = match(state)
    .with({ kind: 'active' }, () => concernBlocks(input.concerns ?? []))
    .with({ kind: 'decided' }, ({ decision }) => concernBlocks(decision.concerns))
    .with({ kind: 'superseded' }, () => [])
    .exhaustive();
  // The recommended patterns' cards, when they fit beside the rest of the message.
  const cards = comparisonBlocks(flow, named);
  if (blocks.length + cards.length + concerns.length + 4 <= LIMITS.messageBlocks) blocks.push(divider(), ...cards);
  blocks.push(divider());
  blocks.push(
    ...match(state)
      .with({ kind: 'active' }, (): KnownBlock[] => {
        const needed = input.approvalsNeeded ?? 0;
        return [
          actions('decision', [
            button('Accept this recommendation', ACTIONS.accept, 'accept', 'primary'),
            ...(needed > 0 ? [button('Approve', ACTIONS.approve, 'approve')] : []),
            button('Record a different choice', ACTIONS.override, 'override'),
          ]),
          needed > 0
            ? context(approvalsLine(input.approvals ?? [], needed))
            : context('Accepting records it as the team’s decision (an ADR). Anyone in the channel can decide.'),
        ];
      })
      .with({ kind: 'superseded' }, (): KnownBlock[] => [
        context(':arrows_counterclockwise: An answer changed after this card; the newer recommendation is below.'),
      ])
      .with({ kind: 'decided' }, ({ decision }): KnownBlock[] => {
        const choice = choiceView(flow, decision);
        const by = who(decision.decidedBy ?? decision.createdBy);
        return [
          context(
            choice.override
              ? `:white_check_mark: ${by} recorded *${adrId(decision.number)}*: chose *${escapeText(choice.chosen.join(' + '))}* instead, because “${escapeText(choice.override.reason ?? '')}”.`
              : `:white_check_mark: ${by} accepted this as *${adrId(decision.number)}*.`,
          ),
        ];
      })
      .exhaustive(),
  );
  blocks.push(...concerns);
  return { text: `Recommendation for ${escapeText(input.title)}: ${patternNames(flow, named)}`, blocks };
}

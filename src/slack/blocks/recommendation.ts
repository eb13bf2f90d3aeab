import type { KnownBlock } from '@slack/types';
import { match } from 'ts-pattern';
import type { Approval, Decision } from '../../domain/model.js';
import { count } from '../../domain/plural.js';
import { adrId, choiceView, chosenNames, headline, strongestReasons } from '../../domain/presentation.js';
import type { Answers, Flow } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { clip, escapeText } from '../escape.js';
import { ACTIONS, CONCERN, DEADLINE } from '../ids.js';
import { type ConcernList, concernBlocks } from './concerns.js';
import { actions, button, context, header, type Message, section, who } from './kit.js';
import { patternNames } from './labels.js';
import { slackWhen } from './when.js';

/** Whether the card still takes a decision, was replaced by a newer one, or is decided. */
export type CardState = { kind: 'active' } | { kind: 'superseded' } | { kind: 'decided'; decision: Decision };

export type CardInput = {
  title: string;
  answers: Answers;
  recommendation: Recommendation;
  /** Approvals so far (one per person) and how many the team requires before accepting. */
  approvals?: readonly Approval[];
  approvalsNeeded?: number;
  /** Concerns raised before the decision; open ones are listed with a resolve button. */
  concerns?: ConcernList;
  /** The decision's deadline (ISO), when one is set, and the team's required approvers. */
  deadline?: string | undefined;
  approvers?: readonly string[] | undefined;
  /** The team's time zone, for the fallback text of dates (each reader sees their own). */
  zone?: string | undefined;
};

/** The card's budget (issue #17): a decision taken in at a glance; everything else is behind Details. */
export const CARD = { maxBlocks: 10, reasonChars: 230, warningChars: 320, concernsShown: 2 } as const;

/** "Approvals: 1 of 2 (@alice)": shown while the team's rule asks for approvals. */
export function approvalsLine(approvals: readonly Approval[], needed: number): string {
  const people = [...new Set(approvals.map((a) => a.by))];
  const names = people.length ? ` (${people.map(who).join(', ')})` : '';
  const left = Math.max(0, needed - people.length);
  return `:ballot_box_with_check: Approvals: *${Math.min(people.length, needed)} of ${needed}*${names}. ${
    left ? `Accepting needs ${left} more from different people.` : 'Ready to accept.'
  }`;
}

const plural = (n: number, one: string, many: string): string => count(n, one, many);

/** The three strongest reasons, one line each, with the answer each rests on. */
function whyLines(flow: Flow, input: CardInput): string[] {
  return strongestReasons(flow, input.recommendation, input.answers).map((r) => {
    const prompt = flow.questionById.get(r.question)?.prompt;
    const answer = prompt && r.answer.length ? ` _(${escapeText(prompt)} → ${escapeText(r.answer.join(', '))})_` : '';
    return `• ${escapeText(clip(r.because, CARD.reasonChars))}${answer}`;
  });
}

/** The first warning, and how many more Details holds. */
function warningLine(rec: Recommendation): string | undefined {
  const [first, ...rest] = rec.warnings;
  if (first === undefined) return undefined;
  const more = rest.length ? ` _(+${plural(rest.length, 'more warning', 'more warnings')} in Details)_` : '';
  return `:warning: ${escapeText(clip(first, CARD.warningChars))}${more}`;
}

/** Accept (the one primary action), then the other ways to respond, then Details. */
function decisionButtons(input: CardInput): KnownBlock {
  const needed = input.approvalsNeeded ?? 0;
  return actions('decision', [
    button('Accept', ACTIONS.accept, 'accept', 'primary'),
    ...(needed > 0 ? [button('Approve', ACTIONS.approve, 'approve')] : []),
    button('Record a different choice', ACTIONS.override, 'override'),
    button('Raise a concern', CONCERN.raise, 'raise'),
    button(input.deadline ? 'Change the deadline' : 'Set a deadline', DEADLINE.open, 'set'),
    button('Details', ACTIONS.details, 'details'),
  ]);
}

/** Under the buttons: approvals (when required), the deadline and required approvers, or what Accept does. */
function decisionNotes(input: CardInput): string {
  const needed = input.approvalsNeeded ?? 0;
  return [
    needed > 0
      ? approvalsLine(input.approvals ?? [], needed)
      : 'Accept records it as the team’s decision (an ADR); anyone in the channel can decide.',
    ...(input.deadline ? [`:alarm_clock: Decide by ${slackWhen(input.deadline, input.zone)}.`] : []),
    ...(input.approvers?.length ? [`Required approvers: ${input.approvers.map(who).join(', ')}.`] : []),
  ].join(' ');
}

/** Open concerns on the card: the first few with their Resolve button, then how many more and how many resolved. */
function openConcerns(concerns: ConcernList): KnownBlock[] {
  const open = concerns.filter((c) => !c.resolvedAt);
  // concernBlocks ends with its own "Raise a concern" button, which the card has among its buttons.
  const listed = concernBlocks(open.slice(0, CARD.concernsShown)).filter((b) => b.type === 'section');
  const more = open.length - CARD.concernsShown;
  const resolved = concerns.length - open.length;
  const notes = [
    ...(more > 0
      ? [`${plural(more, 'more open concern', 'more open concerns')}: \`@mesh-help summary\` lists them all.`]
      : []),
    ...(resolved ? [`${resolved} resolved.`] : []),
  ];
  return notes.length ? [...listed, context(notes.join(' '))] : listed;
}

/**
 * The recommendation card: what to do first (a headline naming the first-choice
 * tools), the three strongest reasons with the answers they rest on, the top
 * warning, the readiness checks, and the buttons, Accept first. Every other
 * reason, what was ruled out, the alternatives and the pattern comparison are
 * behind Details (src/slack/blocks/recommendation-details.ts).
 */
export function recommendationMessage(flow: Flow, input: CardInput, state: CardState): Message {
  const rec = input.recommendation;
  const named = [rec.primary, ...rec.complements];
  const what = headline(flow, rec, input.answers);
  const blocks: KnownBlock[] = [
    header(`Recommendation: ${input.title}`),
    section(`*${escapeText(what)}*`),
    section(`*Why*\n${whyLines(flow, input).join('\n')}`),
  ];
  const warning = warningLine(rec);
  if (warning) blocks.push(section(warning));
  blocks.push(
    context(
      [
        `Patterns: *${escapeText(patternNames(flow, named))}*`,
        ...(rec.checklist.length
          ? [
              `:clipboard: ${plural(rec.checklist.length, 'readiness check', 'readiness checks')} in the checklist below`,
            ]
          : []),
      ].join(' · '),
    ),
  );
  blocks.push(
    ...match(state)
      .with({ kind: 'active' }, (): KnownBlock[] => [
        decisionButtons(input),
        context(decisionNotes(input)),
        ...openConcerns(input.concerns ?? []),
      ])
      .with({ kind: 'superseded' }, (): KnownBlock[] => [
        context(':arrows_counterclockwise: An answer changed after this card; the newer recommendation is below.'),
      ])
      .with({ kind: 'decided' }, ({ decision }): KnownBlock[] => {
        const choice = choiceView(flow, decision);
        const by = who(decision.decidedBy ?? decision.createdBy);
        return [
          context(
            choice.override
              ? `:white_check_mark: ${by} recorded *${adrId(decision.number)}*: chose *${escapeText(chosenNames(flow, decision).join(' + '))}* instead, because “${escapeText(choice.override.reason ?? '')}”.`
              : `:white_check_mark: ${by} accepted this as *${adrId(decision.number)}*.`,
          ),
          // Not the `decision` block: a decided card takes no more decisions.
          actions(CONCERN.block, [
            button('Raise a concern', CONCERN.raise, 'raise'),
            button('Details', ACTIONS.details, 'details'),
          ]),
          ...openConcerns(decision.concerns),
        ];
      })
      .exhaustive(),
  );
  return { text: `Recommendation for ${escapeText(input.title)}: ${escapeText(what)}`, blocks };
}

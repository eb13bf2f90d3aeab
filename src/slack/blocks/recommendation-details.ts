import type { KnownBlock, ModalView } from '@slack/types';
import { match } from 'ts-pattern';
import { z } from 'zod';
import { headline, reasonLine, toolFitsPlatform, whatWouldChange } from '../../domain/presentation.js';
import type { Answers, AnswerValue, Flow } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { toolName, toolStatusLine } from '../../engine/tools.js';
import { escapeText } from '../escape.js';
import { DETAILS } from '../ids.js';
import { comparisonBlocks } from './comparison.js';
import { actions, button, context, divider, LIMITS, listSections, plain, section } from './kit.js';
import { patternName, patternNames } from './labels.js';

/** What the pushed comparison page needs, carried in the Details modal's private_metadata. */
export const DetailsMetadata = z.object({
  teamId: z.string().max(64),
  channel: z.string().max(64),
  threadTs: z.string().max(64),
  patterns: z.array(z.string().max(64)).max(10),
  platform: z.string().max(64).optional(),
});
export type DetailsMetadata = z.infer<typeof DetailsMetadata>;

/** Blocks a modal may hold, less room for the closing note. */
const MAX_BLOCKS = LIMITS.viewBlocks - 2;

/** A reason with the question and answer it rests on. */
function reasonText(flow: Flow, answers: Answers, r: Recommendation['reasons'][number]): string {
  const line = reasonLine(flow, answers, r);
  const prompt = flow.questionById.get(r.question)?.prompt;
  // A question left at its default (not asked) has no answer to show.
  const from = prompt && line.answer.length ? ` _(${escapeText(prompt)} → ${escapeText(line.answer.join(', '))})_` : '';
  return `• ${escapeText(r.because)}${from}`;
}

const toolLabel = (flow: Flow, id: string): string => {
  const tool = flow.toolById.get(id);
  return `*${escapeText(toolName(flow, id))}*${tool ? ` (${escapeText(toolStatusLine(tool))})` : ''}`;
};

/** Per recommended layer: the first choice and why, the alternatives and why, and what to avoid and why. */
function toolLines(flow: Flow, rec: Recommendation): string[] {
  const lines: string[] = [];
  for (const pattern of [rec.primary, ...rec.complements]) {
    const choices = rec.tools.filter((t) => t.pattern === pattern);
    if (!choices.length) continue;
    lines.push(`*${escapeText(patternName(flow, pattern))}*`);
    for (const t of choices) {
      const tag =
        t.fit === 'first-choice' ? 'First choice' : t.fit === 'alternative' ? 'Alternative' : ':no_entry_sign: Avoid';
      lines.push(`• ${tag} ${toolLabel(flow, t.tool)}: ${escapeText(t.because)}`);
    }
  }
  return lines;
}

/** Where the card's interview is, so a pushed page can read its recommendation again. */
export type DetailsWhere = { teamId: string; channel: string; threadTs: string };

/** The deeper pages Details pushes, by the button that opens each. */
export type DetailsPage = 'tools' | 'ruled-out';

/** Parts of a page (each a titled list), laid out within a modal's block limit with dividers between. */
function layout(parts: KnownBlock[][]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (const part of parts) {
    // A part that no longer fits is left out whole; the ADR keeps everything.
    if (blocks.length + part.length + 1 > MAX_BLOCKS) break;
    if (blocks.length) blocks.push(divider());
    blocks.push(...part);
  }
  return blocks;
}

/** Every reason for each recommended pattern, what speaks against it, and what would change it. */
function whyParts(flow: Flow, title: string, answers: Answers, rec: Recommendation): KnownBlock[][] {
  const named = [rec.primary, ...rec.complements];
  const parts: KnownBlock[][] = [
    [
      section(`*${escapeText(headline(flow, rec, answers))}*`),
      context(`${escapeText(title)} · Patterns: *${escapeText(patternNames(flow, named))}*`),
    ],
  ];
  for (const id of named) {
    const reasons = rec.reasons.filter((r) => r.pattern === id);
    if (reasons.length) {
      parts.push(
        listSections(
          `For ${escapeText(patternName(flow, id))}`,
          reasons.map((r) => reasonText(flow, answers, r)),
        ),
      );
    }
  }
  if (rec.warnings.length) {
    parts.push(
      listSections(
        'Against it: watch out',
        rec.warnings.map((w) => `:warning: ${escapeText(w)}`),
      ),
    );
  }
  if ('sensitivity' in rec) {
    const changes = whatWouldChange(flow, rec);
    parts.push(
      changes.length
        ? listSections(
            'What would change this',
            changes.map(
              (c) =>
                `• *${escapeText(c.question)}* “${escapeText(c.to)}” instead of “${escapeText(c.from)}”: ${escapeText(
                  c.changes.join('; ') || 'a different outcome',
                )}${c.because ? `. _${escapeText(c.because)}_` : ''}`,
            ),
          )
        : [section('*What would change this*\nNo single different answer changes the outcome.')],
    );
  }
  return parts;
}

/** "Why this recommendation": every reason for and against, and what would change it; deeper pages one click on. */
export function detailsModal(
  flow: Flow,
  title: string,
  answers: Answers,
  rec: Recommendation,
  where: DetailsWhere,
): ModalView {
  const named = [rec.primary, ...rec.complements];
  const metadata: DetailsMetadata = {
    ...where,
    patterns: named,
    ...(typeof answers.platform === 'string' ? { platform: answers.platform } : {}),
  };
  const blocks = layout(whyParts(flow, title, answers, rec));
  blocks.push(
    actions('details', [
      ...(rec.tools.length ? [button('Tools and alternatives', DETAILS.tools, 'tools')] : []),
      ...(rec.notNow.length ? [button('Ruled out for now', DETAILS.ruledOut, 'ruled-out')] : []),
      button('Compare the patterns', DETAILS.compare, 'compare'),
    ]),
    context('The readiness checklist is in the thread; the decision record (ADR) keeps all of this once accepted.'),
  );
  return {
    type: 'modal',
    callback_id: DETAILS.callback,
    title: plain('Why this recommendation', LIMITS.viewTitle),
    close: plain('Close', LIMITS.viewTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** A pushed page: the tools of each recommended layer (first choice, alternatives, avoid), or what was ruled out and why. */
export function detailsPage(flow: Flow, page: DetailsPage, answers: Answers, rec: Recommendation): ModalView {
  const parts = match(page)
    .with('tools', () => [
      listSections('First choice, alternatives and what to avoid, per layer', toolLines(flow, rec)),
    ])
    .with('ruled-out', () =>
      rec.notNow.map((id) =>
        listSections(
          escapeText(patternName(flow, id)),
          rec.reasons.filter((r) => r.pattern === id).map((r) => reasonText(flow, answers, r)),
        ),
      ),
    )
    .exhaustive();
  return {
    type: 'modal',
    callback_id: DETAILS.callback,
    title: plain(page === 'tools' ? 'Tools and alternatives' : 'Ruled out for now', LIMITS.viewTitle),
    close: plain('Back', LIMITS.viewTitle),
    blocks: layout(parts),
  };
}

/** The pushed page: the recommended patterns side by side, naming only tools the team's platform offers today. */
export function comparisonModal(flow: Flow, patterns: readonly string[], platform: AnswerValue | undefined): ModalView {
  const known = patterns.filter((p) => flow.patternById.has(p));
  const blocks = comparisonBlocks(flow, known, (t) => toolFitsPlatform(t, platform)).slice(0, LIMITS.viewBlocks - 1);
  blocks.push(
    context('Tools shown are the ones your platform offers today; archived tools and ended services are left out.'),
  );
  return {
    type: 'modal',
    callback_id: DETAILS.callback,
    title: plain('Pattern comparison', LIMITS.viewTitle),
    close: plain('Back', LIMITS.viewTitle),
    blocks,
  };
}

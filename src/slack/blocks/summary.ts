import type { KnownBlock } from '@slack/types';
import type { Decision, Session } from '../../domain/model.js';
import { count } from '../../domain/plural.js';
import { applicableQuestions } from '../../engine/answers.js';
import type { Flow } from '../../engine/flow.js';
import { openConcerns } from '../../team/discussion.js';
import { escapeText } from '../escape.js';
import { context, header, listSections, type Message, section, who } from './kit.js';
import { answerLabel } from './labels.js';
import { statusLine } from './root.js';
import { slackDay } from './when.js';

/** The thread's discussion: the decision holds it once there is one; the session before (and whatever it kept). */
export type SummaryInput = { session: Session; decision?: Decision | undefined };

/** Everyone who answered, replied, raised a concern or approved, in order of first appearance. */
export function participants({ session, decision }: SummaryInput): string[] {
  const people = [
    session.startedBy,
    ...Object.values(session.answeredBy).map((a) => a.by),
    ...[session, ...(decision ? [decision] : [])].flatMap((h) => [
      ...h.replies.filter((r) => !r.deleted).map((r) => r.user),
      ...h.concerns.map((c) => c.by),
      ...h.approvals.map((a) => a.by),
    ]),
    ...(decision?.decidedBy ? [decision.decidedBy] : []),
  ];
  return [...new Set(people)];
}

/** `@mesh-help summary`: where the interview stands, its answers with labels, who took part, open concerns, what is unanswered. */
export function summaryMessage(flow: Flow, input: SummaryInput): Message {
  const { session, decision } = input;
  const applicable = applicableQuestions(flow, session.answers);
  const answered = applicable.filter((q) => session.answers[q.id] !== undefined);
  const unanswered = applicable.filter((q) => session.answers[q.id] === undefined);
  const concerns = [session, ...(decision ? [decision] : [])].flatMap(openConcerns);
  const replies = [session, ...(decision ? [decision] : [])].flatMap((h) => h.replies.filter((r) => !r.deleted));
  const blocks: KnownBlock[] = [
    header(`Summary: ${session.title}`),
    section(statusLine(flow, session, decision)),
    ...listSections(
      'Answers so far',
      answered.length
        ? answered.map((q) => {
            const by = session.answeredBy[q.id]?.by;
            return `• ${escapeText(q.prompt)} → *${escapeText(answerLabel(flow, q.id, session.answers[q.id]))}*${by ? ` (${who(by)})` : ''}`;
          })
        : ['• None yet.'],
      3,
    ),
  ];
  if (session.status === 'open') {
    blocks.push(
      ...listSections(
        'Still unanswered',
        unanswered.length
          ? unanswered.map((q) => `• ${escapeText(q.prompt)}`)
          : ['• Nothing: every question has an answer.'],
        2,
      ),
    );
  }
  blocks.push(
    ...listSections(
      'Open concerns',
      concerns.length
        ? concerns.map((c) => `• ${who(c.by)} (${slackDay(c.at)}): “${escapeText(c.text)}”`)
        : ['• None.'],
      2,
    ),
  );
  blocks.push(section(`*Who took part*\n${participants(input).map(who).join(', ')}`));
  blocks.push(context(`${count(replies.length, 'reply', 'replies')} in this thread so far.`));
  return { text: `Summary of ${escapeText(session.title)}`, blocks };
}

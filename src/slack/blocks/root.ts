import { match } from 'ts-pattern';
import type { Decision, Session } from '../../domain/model.js';
import { adrId, chosenNames, headline } from '../../domain/presentation.js';
import type { Flow } from '../../engine/flow.js';
import { questionsAnswered, questionsLeft } from '../../engine/progress.js';
import { escapeText } from '../escape.js';
import { context, type Message, section, who } from './kit.js';
import { slackWhen } from './when.js';

/** What the root message shows of a session. */
export type RootView = Pick<Session, 'title' | 'startedBy' | 'status' | 'answers' | 'recommendation' | 'revisits'> &
  Partial<Pick<Session, 'deadline' | 'expiredReason' | 'abandonedReason'>>;

/** Where the decision stands, naming what was chosen (tools first) and, once replaced, its successor. */
function decidedLine(flow: Flow, d: Decision): string {
  const chosen = escapeText(chosenNames(flow, d).join(' + '));
  const id = `*${adrId(d.number)}*`;
  return match(d.status)
    .with(
      'accepted',
      () => `:white_check_mark: Decided: ${id} ${chosen}${d.decidedBy ? ` (accepted by ${who(d.decidedBy)})` : ''}`,
    )
    .with('superseded', () =>
      d.supersededBy
        ? `:arrows_counterclockwise: ${id} ${chosen} was superseded by *${adrId(d.supersededBy)}*.`
        : `:arrows_counterclockwise: ${id} ${chosen} was superseded.`,
    )
    .with(
      'proposed',
      () => `:leftwards_arrow_with_hook: ${id} ${chosen} is proposed again: the card in the thread takes decisions.`,
    )
    .with('rejected', () => `:x: ${id} ${chosen} was rejected.`)
    .with('deprecated', () => `:wastebasket: ${id} ${chosen} is deprecated: it no longer guides new work.`)
    .exhaustive();
}

/** One line on where the interview stands. */
export function statusLine(flow: Flow, view: RootView, decision?: Decision, zone?: string): string {
  return match(view.status)
    .with('open', () => {
      // A bound that only falls as answers come in: the total never grows.
      const answered = questionsAnswered(flow, view.answers);
      const total = answered + questionsLeft(flow, view.answers);
      return `:hourglass_flowing_sand: Interview in progress: ${answered} of at most ${total} answered`;
    })
    .with('complete', () => {
      const ready = view.recommendation
        ? `:bulb: Recommendation ready: *${escapeText(headline(flow, view.recommendation, view.answers))}* Accept it or record another choice in the thread.`
        : ':bulb: Recommendation ready in the thread.';
      return view.deadline ? `${ready}\n:alarm_clock: Decide by ${slackWhen(view.deadline, zone)}.` : ready;
    })
    .with('decided', () => (decision ? decidedLine(flow, decision) : ':white_check_mark: Decided.'))
    .with('abandoned', () =>
      view.expiredReason
        ? `:hourglass: Expired at its deadline: ${escapeText(view.expiredReason)}`
        : view.abandonedReason
          ? `:zzz: Closed: ${escapeText(view.abandonedReason)}`
          : ':no_entry: Abandoned.',
    )
    .exhaustive();
}

/** What the thread holds now, and what anyone reading the channel can do there. */
const footnote = (status: Session['status']): string =>
  match(status)
    .with(
      'open',
      () =>
        'Service mesh, cluster mesh, federation or none: the interview runs in this thread and anyone in the channel can answer.',
    )
    .with(
      'complete',
      () => 'The recommendation and its reasons are in this thread; anyone in the channel can weigh in.',
    )
    .with('decided', () => 'The decision record, its reasons and its readiness checklist are in this thread.')
    .with('abandoned', () => 'The discussion stays in this thread; `/mesh-help start` begins a new interview.')
    .exhaustive();

/** The channel message that owns the interview thread: title, who started it, status. */
export function rootMessage(flow: Flow, view: RootView, decision?: Decision, zone?: string): Message {
  const title = escapeText(view.title);
  return {
    text: `Mesh decision: ${title}`,
    blocks: [
      section(
        `:compass: *${title}*\nStarted by ${who(view.startedBy)}${view.revisits ? ` to revisit *${adrId(view.revisits)}*` : ''}`,
      ),
      section(statusLine(flow, view, decision, zone)),
      context(footnote(view.status)),
    ],
  };
}

import type { KnownBlock } from '@slack/types';
import { openDrifts } from '../../domain/drift.js';
import type { Decision, Session } from '../../domain/model.js';
import { count, pick } from '../../domain/plural.js';
import { adrId } from '../../domain/presentation.js';
import { applicableQuestions } from '../../engine/answers.js';
import type { Flow } from '../../engine/flow.js';
import type { TeamDoc } from '../../store/schema.js';
import { visibleIn, visiblePart } from '../../team/visibility.js';
import { escapeText } from '../escape.js';
import { DRIFT_MARKER } from './drift.js';
import { channelRef, context, header, listSections, type Message, section, who } from './kit.js';
import { patternNames } from './labels.js';
import { slackDay } from './when.js';

/** One line of the decision log. */
export function decisionLine(flow: Flow, d: Decision): string {
  const link = d.permalink && /^https:\/\//.test(d.permalink) ? ` · <${d.permalink}|thread>` : '';
  const by = d.decidedBy ? ` by ${who(d.decidedBy)}` : '';
  const drift = openDrifts(flow, d).length ? ` · :warning: *${DRIFT_MARKER}*` : '';
  return `*${adrId(d.number)}* ${escapeText(d.title)} · _${d.status}_ · ${escapeText(patternNames(flow, d.chosen))}${by} · ${slackDay(d.decidedAt ?? d.createdAt)}${link}${drift}`;
}

/** One line per interview still running or waiting for its decision. */
export function sessionLine(flow: Flow, s: Session): string {
  const applicable = applicableQuestions(flow, s.answers);
  const answered = applicable.filter((q) => s.answers[q.id] !== undefined).length;
  const where = s.channel ? ` in ${channelRef(s.channel)}` : '';
  const state =
    s.status === 'complete' ? 'recommendation waiting for a decision' : `${answered} of ${applicable.length} answered`;
  return `• *${escapeText(s.title)}*${where} · ${state} · started by ${who(s.startedBy)} ${slackDay(s.createdAt)}`;
}

export const openSessions = (doc: TeamDoc): Session[] =>
  doc.sessions.filter((s) => s.status === 'open' || s.status === 'complete');

/** Decision log and open interviews as blocks; newest decisions first. */
export function logBlocks(flow: Flow, doc: TeamDoc, maxSections: number): KnownBlock[] {
  const open = openSessions(doc);
  const decisions = [...doc.decisions].reverse();
  return [
    ...(open.length
      ? listSections(
          'Open interviews',
          open.map((s) => sessionLine(flow, s)),
          Math.max(1, Math.floor(maxSections / 3)),
        )
      : [section('*Open interviews*\nNone right now.')]),
    ...(decisions.length
      ? listSections(
          'Decision log',
          decisions.map((d) => decisionLine(flow, d)),
          maxSections,
        )
      : [section('*Decision log*\nNo decisions yet. Start an interview to make the first one.')]),
  ];
}

/** What a view left out because it belongs to private conversations elsewhere. */
export type LeftOut = { decisions: number; sessions: number };

/** "2 records and 1 interview from private conversations are not shown here." (undefined: nothing left out) */
export function leftOutLine(left: LeftOut | undefined): string | undefined {
  if (!left || (!left.decisions && !left.sessions)) return undefined;
  const parts = [
    ...(left.decisions ? [count(left.decisions, 'record')] : []),
    ...(left.sessions ? [count(left.sessions, 'interview')] : []),
  ];
  const verb = pick(left.decisions + left.sessions, 'is', 'are');
  return `:lock: ${parts.join(' and ')} from private channels or DMs ${verb} not shown here; they are listed only there.`;
}

/** `/mesh-help decisions`: the log this channel may see, only for the person who asked. */
export function decisionsMessage(flow: Flow, doc: TeamDoc, leftOut?: LeftOut): Message {
  const hidden = leftOutLine(leftOut);
  return {
    text: `${count(doc.decisions.length, 'decision')}, ${count(openSessions(doc).length, 'open interview')}`,
    blocks: [
      header('Our decisions'),
      ...logBlocks(flow, doc, 20),
      ...(hidden ? [context(hidden)] : []),
      context('`mesh-help decisions --team <id>` on the command line shows the same log.'),
    ],
  };
}

/** The decisions message for one channel: what that channel may see, and how much was left out. */
export function channelDecisions(deps: { flow: Flow }, doc: TeamDoc, channel: string): Message {
  const seen = visiblePart(doc, (x) => visibleIn(x, channel));
  return decisionsMessage(deps.flow, seen.doc, { decisions: seen.hiddenDecisions, sessions: seen.hiddenSessions });
}

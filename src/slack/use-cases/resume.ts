import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { assertTeamId, type Session, sessionById } from '../../store/index.js';
import { actions, button, type Message, section } from '../blocks/kit.js';
import { noticeMessage } from '../blocks/menu.js';
import { clip, escapeText } from '../escape.js';
import { ACTIONS, COMMAND, sessionRef } from '../ids.js';
import { revisitNotice } from '../notices/record-notices.js';
import { notInChannelHint } from '../notices/start-hint.js';
import type { SlackDeps } from '../runtime/context.js';
import { dispatch } from '../runtime/dispatch.js';
import type { StartResult } from './interview.js';

/** A private note with a Resume button for one interview. */
export function resumeMessage(text: string, teamId: string, session: Pick<Session, 'id'>): Message {
  return {
    text,
    blocks: [
      section(text),
      actions('resume', [button('Resume it', ACTIONS.resume, sessionRef(teamId, session.id), 'primary')]),
    ],
  };
}

/** A Resume click for an interview of another conversation, or of none, learns nothing about it. */
export const NOT_HERE = 'I can’t find that interview in this conversation. Resume it from its own channel.';

const titleOf = (s: Session) => `*${escapeText(clip(s.title, 80))}*`;

/** What the person who asked for a new interview is told when none started (nothing when it did). */
export function startNotice(result: StartResult, teamId: string): Message | undefined {
  return match(result)
    .with({ kind: 'started' }, () => undefined)
    .with({ kind: 'cannot-post' }, (s) => noticeMessage(notInChannelHint(s.error)))
    .with({ kind: 'cannot-revisit' }, (s) => revisitNotice(s.number, s.status))
    .with({ kind: 'already-open' }, (s) =>
      resumeMessage(
        `${titleOf(s.session)} is still open in this channel, so I did not start a second one. Resume it (it posts whatever is missing in its thread), or finish it first. \`${COMMAND} config limits\` changes how many may be open at once.`,
        teamId,
        s.session,
      ),
    )
    .with({ kind: 'too-many-open' }, (s) =>
      noticeMessage(
        `This team already has ${s.limit} open interviews, the most it allows. Finish or decide one first (\`${COMMAND} decisions\` lists them).`,
      ),
    )
    .exhaustive();
}

export type ResumeInput = {
  teamId: string;
  /** The interview named by a Resume button; absent: the latest open one in `channel`. */
  sessionId?: string | undefined;
  channel: string | undefined;
  user: string;
  userTeam: string | undefined;
};

/**
 * `/mesh-help resume` or a Resume button: posts what a failed step left
 * unposted (the next question, or the recommendation card) in the interview's
 * thread, from where it stopped. Only people of the owning team may.
 */
export async function resumeInterview(deps: SlackDeps, client: WebClient, input: ResumeInput): Promise<Message> {
  assertTeamId(input.teamId);
  if (input.userTeam !== input.teamId) return noticeMessage('Only the team that owns this interview can resume it.');
  // A named interview is described and resumed only in its own conversation: elsewhere it does not exist,
  // so nobody learns the title or state of an interview (a private one included) from another channel.
  if (input.sessionId !== undefined) {
    const session = sessionById(await deps.store.read(input.teamId), input.sessionId);
    if (!session || input.channel === undefined || session.channel !== input.channel) return noticeMessage(NOT_HERE);
  }
  const outcome = await dispatch(deps, client, input.teamId, {
    type: 'resume',
    sessionId: input.sessionId,
    channel: input.channel,
    by: input.user,
  });
  return match(outcome)
    .with({ kind: 'none' }, () =>
      noticeMessage(`There is no open interview here to resume. \`${COMMAND} start\` begins one.`),
    )
    .with({ kind: 'closed' }, (o) => noticeMessage(`${titleOf(o.session)} is already ${o.session.status}.`))
    .with({ kind: 'busy' }, (o) =>
      noticeMessage(`${titleOf(o.session)} is being posted right now; try again in a minute if nothing appears.`),
    )
    .with({ kind: 'waiting' }, (o) =>
      noticeMessage(
        o.question
          ? `Nothing is missing in ${titleOf(o.session)}: its thread is waiting for an answer to the latest question.`
          : `Nothing is missing in ${titleOf(o.session)}: its recommendation card is in the thread.`,
      ),
    )
    .with({ kind: 'resumed' }, (o) =>
      noticeMessage(
        `Picking up ${titleOf(o.session)} where it stopped: the missing step is being posted in its thread.`,
      ),
    )
    .exhaustive();
}

import type { Decision } from '../../domain/model.js';
import { adrId } from '../../domain/presentation.js';
import { escapeText } from '../escape.js';
import { REMINDER, recordRef } from '../ids.js';
import { actions, button, context, type Message, section } from './kit.js';

/** The revisit reminder posted in a decision's thread, with the button that starts a follow-up interview. */
export function reminderMessage(teamId: string, d: Decision): Message {
  const title = escapeText(d.title);
  return {
    text: `${adrId(d.number)} ${title} is due for a revisit.`,
    blocks: [
      section(
        `:alarm_clock: *${adrId(d.number)}* ${title} is due for a revisit${d.revisitOn ? ` (planned for ${d.revisitOn})` : ''}. Have the clusters, the pains or who runs the platform changed since?`,
      ),
      actions('reminder', [
        button('Start a follow-up interview', REMINDER.revisit, recordRef(teamId, d.number), 'primary'),
      ]),
      context(`Accepting the follow-up's recommendation supersedes ${adrId(d.number)}.`),
    ],
  };
}

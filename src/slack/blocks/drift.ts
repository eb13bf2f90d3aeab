import type { View } from '@slack/types';
import type { Decision } from '../../domain/model.js';
import { adrId } from '../../domain/presentation.js';
import { escapeText } from '../escape.js';
import { DRIFT, recordRef } from '../ids.js';
import { actions, button, context, type Message, plain, section } from './kit.js';

/** The marker a record with an unacknowledged drift carries on its card and in App Home. */
export const DRIFT_MARKER = 'Review: the basis changed';

/** The notice in a record's thread: what changed since it was accepted, and the two ways to answer it. */
export function driftNotice(teamId: string, d: Decision, lines: readonly string[]): Message {
  const id = adrId(d.number);
  const title = escapeText(d.title);
  const changes = lines.map((l) => `• ${escapeText(l)}`).join('\n');
  const ref = recordRef(teamId, d.number);
  return {
    text: `${DRIFT_MARKER}: ${id} ${title}`,
    blocks: [
      section(`:warning: *${DRIFT_MARKER}* of *${id}* ${title} since it was accepted:\n${changes}`),
      actions('drift', [
        button('Start a revisit', DRIFT.revisit, ref, 'primary'),
        button('Still right for us', DRIFT.acknowledge, ref),
      ]),
      context(`A revisit starts with the old answers filled in; accepting it supersedes ${id}.`),
    ],
  };
}

/** The decisions channel's one line about a drift. */
export function driftChannelLine(d: Decision, lines: readonly string[]): Message {
  const permalink = d.permalink && /^https:\/\/[^\s<>|]+$/.test(d.permalink) ? d.permalink : undefined;
  const id = adrId(d.number);
  const first = escapeText(lines[0] ?? '');
  const more = lines.length > 1 ? ` (+${lines.length - 1} more)` : '';
  const link = permalink ? ` <${permalink}|Discuss in the thread>` : '';
  const text = `:warning: ${DRIFT_MARKER} of *${id}* ${escapeText(d.title)}: ${first}${more}.${link}`;
  return { text, blocks: [section(text)] };
}

/** "Still right for us": one line saying why the decision holds despite what changed. */
export function driftAckModal(teamId: string, d: Decision, lines: readonly string[]): View {
  return {
    type: 'modal',
    callback_id: DRIFT.callback,
    private_metadata: recordRef(teamId, d.number),
    title: plain('Still right for us'),
    submit: plain('Acknowledge'),
    close: plain('Cancel'),
    blocks: [
      section(`*${adrId(d.number)}* ${escapeText(d.title)}\n${lines.map((l) => `• ${escapeText(l)}`).join('\n')}`),
      {
        type: 'input',
        block_id: DRIFT.reasonBlock,
        label: plain('Why does the decision still hold?'),
        element: {
          type: 'plain_text_input',
          action_id: DRIFT.reasonInput,
          max_length: 500,
          placeholder: plain('e.g. we run the vendor build, which is still supported'),
        },
      },
    ],
  };
}

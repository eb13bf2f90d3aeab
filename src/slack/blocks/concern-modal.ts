import type { ModalView } from '@slack/types';
import { CONCERN } from '../ids.js';
import type { CardTarget } from '../payloads.js';
import { context, LIMITS, plain } from './kit.js';

export const CONCERN_MAX = 500;

/** Raise a concern: one short text, stored with the thread's recommendation or decision. */
export function concernModal(target: CardTarget): ModalView {
  return {
    type: 'modal',
    callback_id: CONCERN.callback,
    private_metadata: JSON.stringify(target),
    title: plain('Raise a concern', LIMITS.viewTitle),
    submit: plain('Raise it', LIMITS.viewTitle),
    close: plain('Cancel', LIMITS.viewTitle),
    blocks: [
      {
        type: 'input',
        block_id: CONCERN.text.block,
        label: plain('What worries you?'),
        element: {
          type: 'plain_text_input',
          action_id: CONCERN.text.action,
          multiline: true,
          max_length: CONCERN_MAX,
          placeholder: plain('e.g. Nobody on call knows Envoy yet'),
        },
      },
      context('It shows on the card and in the decision record until someone resolves it.'),
    ],
  };
}

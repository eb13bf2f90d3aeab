import type { ModalView } from '@slack/types';
import type { Flow } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { CALLBACKS, INPUTS } from '../ids.js';
import type { CardTarget } from '../payloads.js';
import { context, LIMITS, plain } from './kit.js';
import { patternNames } from './labels.js';

/** Start an interview: pick the channel and give it a title. */
export function startModal(initialChannel?: string): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.start,
    title: plain('Start an interview', LIMITS.viewTitle),
    submit: plain('Start', LIMITS.viewTitle),
    close: plain('Cancel', LIMITS.viewTitle),
    blocks: [
      {
        type: 'input',
        block_id: INPUTS.startChannel.block,
        label: plain('Channel'),
        hint: plain('The interview runs in a thread there; invite @mesh-help to the channel first.'),
        element: {
          type: 'conversations_select',
          action_id: INPUTS.startChannel.action,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(initialChannel ? { initial_conversation: initialChannel } : { default_to_current_conversation: true }),
        },
      },
      {
        type: 'input',
        block_id: INPUTS.startTitle.block,
        optional: true,
        label: plain('Title'),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.startTitle.action,
          max_length: 150,
          placeholder: plain('e.g. Networking for the payments platform'),
        },
      },
      {
        type: 'input',
        block_id: INPUTS.startScope.block,
        optional: true,
        label: plain('Clusters or environments'),
        hint: plain(
          'Tags the decision will cover, e.g. prod-eu, staging. The organisation’s log flags two decisions on one.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.startScope.action,
          max_length: 200,
          placeholder: plain('prod-eu, staging'),
        },
      },
    ],
  };
}

/** Record a different choice: pick patterns and say why in one line. */
export function overrideModal(flow: Flow, rec: Recommendation, target: CardTarget): ModalView {
  const options = flow.patterns.map((p) => ({ text: plain(p.name, LIMITS.optionText), value: p.id }));
  return {
    type: 'modal',
    callback_id: CALLBACKS.override,
    private_metadata: JSON.stringify(target),
    title: plain('Record another choice', LIMITS.viewTitle),
    submit: plain('Record', LIMITS.viewTitle),
    close: plain('Cancel', LIMITS.viewTitle),
    blocks: [
      context(`Recommended: *${patternNames(flow, [rec.primary, ...rec.complements])}*`),
      {
        type: 'input',
        block_id: INPUTS.overridePatterns.block,
        label: plain('What the team chose'),
        element: { type: 'checkboxes', action_id: INPUTS.overridePatterns.action, options },
      },
      {
        type: 'input',
        block_id: INPUTS.overrideReason.block,
        label: plain('Why, in one line'),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.overrideReason.action,
          max_length: 300,
          placeholder: plain('e.g. We already run Cilium everywhere and want one tool'),
        },
      },
    ],
  };
}

import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseCompared, sharedComparison } from '../../blocks/comparison.js';
import { BlockActionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';

/**
 * "Share in channel" under a private `compare` answer: posts the same
 * comparison to the channel (through the response_url, so the bot need not be
 * a member), then removes the private copy.
 */
export function shareCompareAction(deps: SlackDeps) {
  return async ({ ack, body, respond }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) return;
    const ids = parseCompared(deps.flow, parsed.data.actions[0]?.value);
    if (!ids) return;
    const msg = sharedComparison(deps.flow, ids, parsed.data.user.id);
    try {
      await respond({
        response_type: 'in_channel',
        replace_original: false,
        text: msg.text,
        blocks: msg.blocks as never,
      });
      await respond({ delete_original: true });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not share the comparison: ${slackError(err)}`);
    }
  };
}

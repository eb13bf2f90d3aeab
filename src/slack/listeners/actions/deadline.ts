import { deadlineModal } from '../../blocks/deadline.js';
import type { SlackDeps } from '../../context.js';
import { deadlineHolder, deadlineNotice } from '../../deadline-set.js';
import { slackError } from '../../interview.js';
import { onClick } from './click.js';

/** "Set a deadline" on a recommendation card: checks the card and the person, then opens the modal at once (trigger_id lasts 3 s). */
export function openDeadlineAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const target = { channel: c.at.channel, threadTs: c.at.threadTs, cardTs: c.at.ts };
    const checked = await deadlineHolder(deps, c.candidates, target, c.userTeam);
    if ('refused' in checked) return deadlineNotice(checked.refused);
    try {
      await client.views.open({ trigger_id: trigger, view: deadlineModal({ teamId: checked.teamId, ...target }) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the deadline modal: ${slackError(err)}`);
    }
    return undefined;
  });
}

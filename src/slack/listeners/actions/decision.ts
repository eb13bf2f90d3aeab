import { approvalsMissing } from '../../../domain/machine/accept.js';
import { overrideModal } from '../../blocks/modals.js';
import type { SlackDeps } from '../../context.js';
import { checkCard, decideFromSlack, locate, slackError } from '../../interview.js';
import { decideNotice } from '../../outcomes.js';
import { onClick } from './click.js';

/** `decision:accept`: records the recommendation as the team's accepted decision. */
export function acceptAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
    decideNotice(
      await decideFromSlack(deps, client, {
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
        permalink: async () =>
          (await client.chat.getPermalink({ channel: c.at.channel, message_ts: c.at.threadTs })).permalink,
      }),
    ),
  );
}

/** `decision:override`: opens the modal to record a different choice (checked first, so refusals never open it). */
export function overrideAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const found = await locate(deps, c.candidates, c.at.channel, c.at.threadTs);
    // A different choice is a decision too: it waits for the same approvals.
    const refused =
      checkCard(found, c.at, c.userTeam) ??
      (found ? approvalsMissing(await deps.store.read(found.teamId), found.session) : undefined);
    const rec = found?.session.recommendation;
    if (refused) return decideNotice(refused);
    if (!found || !rec) return undefined;
    try {
      await client.views.open({
        trigger_id: trigger,
        view: overrideModal(deps.flow, rec, {
          teamId: found.teamId,
          channel: c.at.channel,
          threadTs: c.at.threadTs,
          cardTs: c.at.ts,
        }),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the override modal: ${slackError(err)}`);
    }
    return undefined;
  });
}

import { approveFromSlack } from '../../approvals.js';
import type { SlackDeps } from '../../context.js';
import { approveNotice } from '../../record-notices.js';
import { onClick } from './click.js';

/** `decision:approve`: one person's approval of the current recommendation; the card shows who approved. */
export function approveAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
    approveNotice(
      await approveFromSlack(deps, client, {
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
      }),
    ),
  );
}

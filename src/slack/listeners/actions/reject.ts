import type { SlackDeps } from '../../context.js';
import { parseRecordRef } from '../../ids.js';
import { rejectFromSlack, rejectNotice } from '../../reject.js';
import { onClick } from './click.js';

/** `decision:reject` on a decision card: proposed → rejected, for people of the record's own team only. */
export function rejectAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
    rejectNotice(
      await rejectFromSlack(deps, client, {
        ref: parseRecordRef(c.value),
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
      }),
    ),
  );
}

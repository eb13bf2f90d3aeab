import type { SlackDeps } from '../../context.js';
import { parseRecordRef } from '../../ids.js';
import { reopenNotice } from '../../record-notices.js';
import { reopenFromSlack } from '../../records.js';
import { onClick } from './click.js';

/** `decision:reopen` on a decision card: back to `proposed`, for people of the record's own team only. */
export function reopenAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
    reopenNotice(
      await reopenFromSlack(deps, client, {
        ref: parseRecordRef(c.value),
        at: c.at,
        user: c.user,
        userTeam: c.userTeam,
        candidates: c.candidates,
      }),
    ),
  );
}

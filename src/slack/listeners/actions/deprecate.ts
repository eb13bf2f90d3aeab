import type { SlackDeps } from '../../context.js';
import { deprecateFromSlack, deprecateNotice } from '../../deprecate.js';
import { parseRecordRef } from '../../ids.js';
import { onClick } from './click.js';

/** `decision:deprecate` on a decision card: accepted → deprecated, for people of the record's own team only. */
export function deprecateAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
    deprecateNotice(
      await deprecateFromSlack(deps, client, {
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

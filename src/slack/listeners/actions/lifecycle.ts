import type { SlackDeps } from '../../context.js';
import { parseRecordRef } from '../../ids.js';
import { lifeCycleNotice } from '../../record-notices.js';
import { recordAction } from '../../records.js';
import { onClick } from './click.js';

/**
 * `decision:reopen`, `decision:reject` and `decision:deprecate` on a decision
 * card: one state-machine event each, for people of the record's own team
 * only. Nothing is said privately when it worked: the card and thread say so.
 */
export function lifeCycleAction(deps: SlackDeps, type: 'reopen' | 'reject' | 'deprecate') {
  return onClick(deps, async (c, client) =>
    lifeCycleNotice(
      await recordAction(deps, client, type, {
        ref: parseRecordRef(c.value),
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
      }),
      type,
    ),
  );
}

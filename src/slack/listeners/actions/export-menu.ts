import { match } from 'ts-pattern';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../context.js';
import { uploadNotice, uploadRecord } from '../../export.js';
import { parseExportChoice } from '../../ids.js';
import { FOREIGN_TEAM } from '../../outcomes.js';
import { publishFromSlack } from '../../publish.js';
import { findRecord } from '../../records.js';
import { onClick } from './click.js';

/**
 * The decision card's Export menu. "Upload the ADR here" reads one record, so
 * anyone who sees the card may; "Open a pull request" is `/mesh-help export pr`
 * for the record's team (same code path: its private records stay out, and an
 * unset repository is explained), so only people of that team may ask for it.
 */
export function exportMenuAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    const choice = parseExportChoice(c.value);
    const found = await findRecord(deps, c.candidates, choice?.ref);
    if (!choice || !found) return noticeMessage('I can’t find that decision record any more.');
    return match(choice.to)
      .with('upload', async () => uploadNotice(await uploadRecord(deps, client, found, c.at)))
      .with('pr', async () => {
        if (c.userTeam !== found.teamId)
          return noticeMessage(`${FOREIGN_TEAM} Only people of the record’s own team can export its log.`);
        return publishFromSlack(deps, { teamId: found.teamId, user: c.user, to: 'pr' });
      })
      .exhaustive();
  });
}

import { match } from 'ts-pattern';
import { noticeMessage } from '../../blocks/menu.js';
import { ACTIONS, parseExportChoice, parseRecordRef } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import { lifeCycleNotice } from '../../notices/record-notices.js';
import type { SlackDeps } from '../../runtime/context.js';
import type { ActionArgs, Routes } from '../../runtime/routes.js';
import { afterAck } from '../../runtime/work.js';
import { uploadNotice, uploadRecord } from '../../use-cases/export.js';
import { publishFromSlack } from '../../use-cases/publish.js';
import { findRecord, recordAction } from '../../use-cases/records.js';
import { onClick } from './click.js';

/**
 * Every button of the decision card (src/slack/blocks/decision-card.ts): the
 * Export menu and button, and the life-cycle buttons. A new button is one
 * `on` line here, its handler, and its use case.
 */
export function registerDecisionCard(actions: Routes<ActionArgs>, deps: SlackDeps): void {
  const on = (
    id: string,
    listener: ReturnType<typeof onClick>,
    needsSlot?: (args: Parameters<ReturnType<typeof onClick>>[0]) => boolean,
  ) => actions.on(id, afterAck(deps.work, listener, needsSlot));
  on(ACTIONS.export, exportRecordAction(deps));
  // "Open a pull request" runs in the exports' own lane, not a work slot.
  on(ACTIONS.exportMenu, exportMenuAction(deps), ({ action }) => {
    const a = action as { value?: string; selected_option?: { value?: string } };
    return parseExportChoice(a.value ?? a.selected_option?.value)?.to !== 'pr';
  });
  on(ACTIONS.reopen, lifeCycleAction(deps, 'reopen'));
  on(ACTIONS.reject, lifeCycleAction(deps, 'reject'));
  on(ACTIONS.deprecate, lifeCycleAction(deps, 'deprecate'));
}

/**
 * `decision:export` on a decision card: uploads that record's MADR file into its
 * discussion thread. It only reads the record, so anyone who sees the card may.
 */
export function exportRecordAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const found = await findRecord(deps, c.candidates, parseRecordRef(c.value));
    if (!found) return noticeMessage('I can’t find that decision record any more.');
    return uploadNotice(await uploadRecord(deps, client, found, c.at));
  });
}

/**
 * The decision card's Export menu. "Upload the ADR here" reads one record, so
 * anyone who sees the card may; "Open a pull request" is `/mesh-help export pr`
 * for the record's team (same code path: its private records stay out, and an
 * unset repository is explained), so only people of that team may ask for it.
 */
export function exportMenuAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const choice = parseExportChoice(c.value);
    const found = await findRecord(deps, c.candidates, choice?.ref);
    if (!choice || !found) return noticeMessage('I can’t find that decision record any more.');
    return match(choice.to)
      .with('upload', async () => uploadNotice(await uploadRecord(deps, client, found, c.at)))
      .with('pr', async () => {
        if (c.userTeam !== found.teamId)
          return noticeMessage(`${FOREIGN_TEAM} Only people of the record’s own team can export its log.`);
        return publishFromSlack(deps, { teamId: found.teamId, user: c.user, to: 'pr', request: c.body.trigger_id });
      })
      .exhaustive();
  });
}

/**
 * `decision:reopen`, `decision:reject` and `decision:deprecate` on a decision
 * card: one state-machine event each, for people of the record's own team
 * only. Nothing is said privately when it worked: the card and thread say so.
 */
export function lifeCycleAction(deps: SlackDeps, type: 'reopen' | 'reject' | 'deprecate') {
  return onClick(async (c, client) =>
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

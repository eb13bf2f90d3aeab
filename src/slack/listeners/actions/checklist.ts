import { match } from 'ts-pattern';
import { day, type Message, who } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import { escapeText } from '../../escape.js';
import { type ChecklistChange, isChecklistKey, parseChecklistBlockId, parseChecklistValue } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import type { BlockActionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { type TickOutcome, tickFromSlack } from '../../use-cases/tick.js';
import { onClick } from './click.js';

/** The private note a checklist click gets; undefined when it worked or was the clicker's own double click. */
export function tickNotice(outcome: TickOutcome, user: string): Message | undefined {
  return match(outcome)
    .with({ kind: 'changed' }, () => undefined)
    .with({ kind: 'unchanged', intent: 'untick' }, () => undefined)
    .with({ kind: 'unchanged', intent: 'tick' }, ({ tick }) =>
      !tick || tick.by === user
        ? undefined
        : noticeMessage(`${who(tick.by)} ticked this item already, on ${escapeText(day(tick.at))}.`),
    )
    .with({ kind: 'bad-value' }, () => noticeMessage('This checkbox is not one I know; nothing was changed.'))
    .with({ kind: 'not-found' }, () => noticeMessage('This checklist is not part of an interview I know.'))
    .with({ kind: 'foreign-team' }, () => noticeMessage(FOREIGN_TEAM))
    .with({ kind: 'not-current' }, () =>
      noticeMessage('This checklist was replaced after an answer changed; tick items on the newest one in the thread.'),
    )
    .with({ kind: 'unknown-item' }, () =>
      noticeMessage('That item is not on this checklist any more; nothing was changed.'),
    )
    .exhaustive();
}

type Action = BlockActionBody['actions'][number];

/**
 * What a click on the checklist changed, each with the state it asks for. The
 * checkboxes send their whole selection; the block_id says what the clicker
 * saw ticked, so the difference is exactly what this person changed, even on a
 * view older than someone else's tick. A Done / Undo button of an older
 * checklist carries its one change in its value. Undefined when unreadable.
 */
export function checklistChanges(action: Action): ChecklistChange[] | undefined {
  if (action.selected_options === undefined) {
    const one = parseChecklistValue(action.value);
    return one ? [one] : undefined;
  }
  const shown = parseChecklistBlockId(action.block_id);
  const selected = action.selected_options.map((o) => o.value);
  if (!shown || !selected.every(isChecklistKey)) return undefined;
  return [
    ...selected.filter((k) => !shown.includes(k)).map((key) => ({ intent: 'tick' as const, key })),
    ...shown.filter((k) => !selected.includes(k)).map((key) => ({ intent: 'untick' as const, key })),
  ];
}

/** `checklist:ticks`: a checkbox ticked or unticked on a readiness item; the checklist message shows who ticked what. */
export function checklistAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const action = c.body.actions[0];
    const outcomes = await tickFromSlack(deps, client, {
      at: c.at,
      user: c.user,
      userName: c.userName,
      userTeam: c.userTeam,
      candidates: c.candidates,
      changes: action ? checklistChanges(action) : undefined,
    });
    // One note at most: the first change that has something to say.
    return outcomes.map((o) => tickNotice(o, c.user)).find((n) => n !== undefined);
  });
}

import { match } from 'ts-pattern';
import { day, type Message, who } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import { escapeText } from '../../escape.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
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
    .with({ kind: 'bad-value' }, () => noticeMessage('This button is not one I know; nothing was changed.'))
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

/** `checklist:toggle`: Done / Undo on a readiness item; the checklist message shows who ticked what. */
export function checklistAction(deps: SlackDeps) {
  return onClick(async (c, client) =>
    tickNotice(
      await tickFromSlack(deps, client, {
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
        value: c.value,
      }),
      c.user,
    ),
  );
}

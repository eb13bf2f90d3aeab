import { adrId } from '../../../domain/machine/record.js';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../runtime/context.js';
import { startInterview } from '../../use-cases/interview.js';
import { startNotice } from '../../use-cases/resume.js';
import { onRecordClick } from './click.js';

/**
 * "Start a follow-up interview" on a revisit reminder, and "Start a revisit" on a drift notice (`prefill`: with
 * the record's answers filled in): a new interview in the channel that supersedes the record once accepted.
 */
export function revisitAction(deps: SlackDeps, prefill = false) {
  return onRecordClick(deps, async ({ ref, doc, decision: d, at, user, body }, client) => {
    // A double click, or a colleague who was quicker: one follow-up is enough.
    const running = doc.sessions.find(
      (s) => s.revisits === ref.number && (s.status === 'open' || s.status === 'complete'),
    );
    if (d && running) return noticeMessage(`A follow-up interview for ${adrId(ref.number)} is already running.`);
    const started = await startInterview(deps, client, {
      teamId: ref.teamId,
      channel: at.channel,
      user,
      title: d ? `Revisit: ${d.title}` : '',
      revisits: ref.number,
      prefill,
      request: body.trigger_id,
    });
    if (started.kind === 'cannot-revisit') {
      return noticeMessage(
        `${adrId(started.number)} is ${started.status ?? 'gone'} now, so there is nothing to revisit.`,
      );
    }
    return startNotice(started, ref.teamId);
  });
}

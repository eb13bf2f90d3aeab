import { openDrifts } from '../../../domain/drift.js';
import { adrId } from '../../../domain/presentation.js';
import { driftAckModal } from '../../blocks/drift.js';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../runtime/context.js';
import { onRecordClick } from './click.js';

/**
 * "Still right for us" on a drift notice: checks the person and the record,
 * then opens the modal that asks for the one-line reason at once (trigger_id
 * lasts 3 s). Nothing is stored until the modal is submitted.
 */
export function acknowledgeDriftAction(deps: SlackDeps) {
  return onRecordClick(deps, async ({ ref, decision: d, body }, client) => {
    const open = d ? openDrifts(deps.flow, d) : [];
    if (!d || !open.length) return noticeMessage(`${adrId(ref.number)} has no change left to acknowledge.`);
    if (!body.trigger_id) return undefined;
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: driftAckModal(
          ref.teamId,
          d,
          open.map((v) => v.text),
        ),
      });
      return undefined;
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the acknowledgement form: ${(err as Error).message}`);
      return noticeMessage('Slack did not open the form; try the button again.');
    }
  });
}

import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../context.js';
import { uploadNotice, uploadRecord } from '../../export.js';
import { parseRecordRef } from '../../ids.js';
import { findRecord } from '../../records.js';
import { onClick } from './click.js';

/**
 * `decision:export` on a decision card: uploads that record's MADR file into its
 * discussion thread. It only reads the record, so anyone who sees the card may.
 */
export function exportRecordAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    const found = await findRecord(deps, c.candidates, parseRecordRef(c.value));
    if (!found) return noticeMessage('I can’t find that decision record any more.');
    return uploadNotice(await uploadRecord(deps, client, found, c.at));
  });
}

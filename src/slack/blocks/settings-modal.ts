import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { abandonAfterDays, MAX_ABANDON_AFTER_DAYS, MAX_APPROVALS, MAX_DEADLINE_DAYS } from '../../domain/limits.js';
import { RuleEditors, type TeamConfig } from '../../domain/model.js';
import { editorsOf, ownersOf } from '../../team/governance.js';
import { COMMAND, SETTINGS } from '../ids.js';
import { context, LIMITS, plain } from './kit.js';

/** What each editors rule means, as the form lists it. */
const EDITORS_LABEL: Record<RuleEditors, string> = {
  'admins-and-owners': 'Workspace admins and the owners',
  owners: 'Only the owners',
  admins: 'Only workspace admins',
  anyone: 'Anyone in the workspace',
};

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, LIMITS.optionText), value });

/** A whole-number field; empty means the setting is off. */
function numberInput(
  ids: { block: string; action: string },
  label: string,
  hint: string,
  value: number | undefined,
  range: { min: number; max: number },
  optional: boolean,
): KnownBlock {
  return {
    type: 'input',
    block_id: ids.block,
    optional,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'number_input',
      action_id: ids.action,
      is_decimal_allowed: false,
      min_value: String(range.min),
      max_value: String(range.max),
      ...(value !== undefined ? { initial_value: String(value) } : {}),
    },
  };
}

/**
 * The team's settings as a form. Saving turns each changed field into the
 * `config` text command it stands for and runs it through the same code, so
 * the checks, the governance and the history are the same.
 */
export function settingsModal(config: TeamConfig, teamId: string): ModalView {
  const owners = ownersOf(config);
  const editors = editorsOf(config);
  const abandon = abandonAfterDays(config);
  return {
    type: 'modal',
    callback_id: SETTINGS.callback,
    private_metadata: JSON.stringify({ teamId }),
    title: plain('mesh-help settings', LIMITS.viewTitle),
    submit: plain('Save', LIMITS.viewTitle),
    close: plain('Cancel', LIMITS.viewTitle),
    blocks: [
      {
        type: 'input',
        block_id: SETTINGS.channel.block,
        optional: true,
        label: plain('Decisions channel'),
        hint: plain('Accepted decisions and later status changes are also posted there. Invite @mesh-help to it.'),
        element: {
          type: 'conversations_select',
          action_id: SETTINGS.channel.action,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(config.decisionsChannel ? { initial_conversation: config.decisionsChannel } : {}),
        },
      },
      numberInput(
        SETTINGS.approvals,
        'Approvals before accepting',
        `Different people who must approve a recommendation first (0 to ${MAX_APPROVALS}).`,
        config.approvals,
        { min: 0, max: MAX_APPROVALS },
        false,
      ),
      numberInput(
        SETTINGS.deadline,
        'Deadline, in days',
        `Recommendations must be decided within this many days (1 to ${MAX_DEADLINE_DAYS}); empty: no deadline.`,
        config.deadlineDays,
        { min: 1, max: MAX_DEADLINE_DAYS },
        true,
      ),
      numberInput(
        SETTINGS.abandon,
        'Close silent interviews after, in days',
        `An interview nobody touches for this long is closed (1 to ${MAX_ABANDON_AFTER_DAYS}); empty: never.`,
        abandon || undefined,
        { min: 1, max: MAX_ABANDON_AFTER_DAYS },
        true,
      ),
      {
        type: 'input',
        block_id: SETTINGS.owners.block,
        optional: true,
        label: plain('Owners'),
        hint: plain('The team’s named owners, who may change these settings.'),
        element: {
          type: 'multi_users_select',
          action_id: SETTINGS.owners.action,
          max_selected_items: 20,
          ...(owners.length ? { initial_users: owners } : {}),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS.editors.block,
        label: plain('Who may change the settings'),
        element: {
          type: 'static_select',
          action_id: SETTINGS.editors.action,
          options: RuleEditors.options.map((o) => option(EDITORS_LABEL[o], o)),
          initial_option: option(EDITORS_LABEL[editors], editors),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS.timezone.block,
        optional: true,
        label: plain('Team time zone'),
        hint: plain('For dates and working days the whole channel reads, e.g. Europe/Berlin; empty: UTC.'),
        element: {
          type: 'plain_text_input',
          action_id: SETTINGS.timezone.action,
          max_length: 64,
          ...(config.timezone ? { initial_value: config.timezone } : {}),
        },
      },
      context(
        `Repository, git remote, required approvers and open-interview limits stay text commands: \`${COMMAND} config show\` lists them all.`,
      ),
    ],
  };
}

import type { WebClient } from '@slack/web-api';
import { abandonAfterDays } from '../../domain/limits.js';
import type { TeamConfig } from '../../store/index.js';
import { editorsOf, ownersOf } from '../../team/governance.js';
import { section } from '../blocks/kit.js';
import { settingsModal } from '../blocks/settings-modal.js';
import { escapeText } from '../escape.js';
import { SETTINGS } from '../ids.js';
import { type ConfigChange, parseCommand } from '../listeners/commands/parse.js';
import type { ViewSubmissionBody } from '../payloads.js';
import type { SlackDeps } from '../runtime/context.js';
import { slackError } from '../runtime/failures.js';
import { type ConfigOutcome, changeConfig } from './settings.js';

type Values = ViewSubmissionBody['view']['state']['values'];
type Planned = { block: string; change: Exclude<ConfigChange, { kind: 'show' } | { kind: 'form' }> };

/** Opens the settings form; false when Slack would not (the caller shows the settings as text instead). */
export async function openSettings(
  deps: SlackDeps,
  client: WebClient,
  input: { teamId: string; triggerId: string | undefined },
): Promise<boolean> {
  if (!input.triggerId) return false;
  try {
    const config = (await deps.store.read(input.teamId)).config;
    await client.views.open({ trigger_id: input.triggerId, view: settingsModal(config, input.teamId) });
    return true;
  } catch (err) {
    deps.logger.warn(`mesh-help: could not open the settings modal: ${slackError(err)}`);
    return false;
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The `config` words each changed field of the form stands for, owners before
 * who may edit (so "only the owners" can follow naming them). Unchanged
 * fields say nothing, so saving an untouched form changes nothing.
 */
export function formWords(values: Values, config: TeamConfig): { block: string; words: string[] }[] {
  const field = (ids: { block: string; action: string }) => values[ids.block]?.[ids.action];
  const text = (ids: { block: string; action: string }) => (field(ids)?.value ?? '').trim();
  const out: { block: string; words: string[] }[] = [];
  const owners = field(SETTINGS.owners)?.selected_users ?? [];
  if (!sameSet(owners, ownersOf(config))) {
    out.push({ block: SETTINGS.owners.block, words: ['owners', ...(owners.length ? owners : ['none'])] });
  }
  const editors = field(SETTINGS.editors)?.selected_option?.value;
  if (editors && editors !== editorsOf(config))
    out.push({ block: SETTINGS.editors.block, words: ['editors', editors] });
  const channel = field(SETTINGS.channel)?.selected_conversation ?? undefined;
  if (channel !== config.decisionsChannel) {
    out.push({ block: SETTINGS.channel.block, words: ['channel', channel ?? 'none'] });
  }
  const approvals = text(SETTINGS.approvals);
  if (approvals !== String(config.approvals)) {
    out.push({ block: SETTINGS.approvals.block, words: ['approvals', approvals || 'none'] });
  }
  const deadline = text(SETTINGS.deadline);
  if (deadline !== String(config.deadlineDays ?? '')) {
    out.push({ block: SETTINGS.deadline.block, words: ['deadline', deadline ? `${deadline}d` : 'none'] });
  }
  const abandon = text(SETTINGS.abandon);
  if (abandon !== String(abandonAfterDays(config) || '')) {
    out.push({ block: SETTINGS.abandon.block, words: ['abandon', abandon ? `${abandon}d` : 'never'] });
  }
  const zone = text(SETTINGS.timezone);
  if (zone !== (config.timezone ?? '')) {
    out.push({ block: SETTINGS.timezone.block, words: ['timezone', zone || 'UTC'] });
  }
  return out;
}

/** The form's changes as the text commands read them; the first unreadable one names its field. */
export function formChanges(
  values: Values,
  config: TeamConfig,
): { changes: Planned[] } | { error: { block: string; message: string } } {
  const changes: Planned[] = [];
  for (const { block, words } of formWords(values, config)) {
    const parsed = parseCommand(`config ${words.join(' ')}`);
    if (parsed.kind !== 'config' || parsed.change.kind === 'show' || parsed.change.kind === 'form') {
      return { error: { block, message: 'I could not read this field.' } };
    }
    if (parsed.change.kind === 'bad') return { error: { block, message: parsed.change.message.slice(0, 150) } };
    changes.push({ block, change: parsed.change });
  }
  return { changes };
}

/** Saves the form's changes one by one through the text commands' code, and tells the person what came of each. */
export async function saveSettings(
  deps: SlackDeps,
  client: WebClient,
  input: { teamId: string; user: string; changes: Planned[] },
): Promise<ConfigOutcome[]> {
  const outcomes: ConfigOutcome[] = [];
  for (const { change } of input.changes) {
    outcomes.push(await changeConfig(deps, client, { teamId: input.teamId, user: input.user, change }));
  }
  const lines = outcomes.length
    ? outcomes.map((o) => (o.kind === 'saved' ? `:white_check_mark: ${o.said}` : `:no_entry: ${escapeText(o.text)}`))
    : ['Nothing changed.'];
  const text = `mesh-help settings:\n${lines.join('\n')}`;
  try {
    // The app's own conversation with the person: a modal from App Home has no channel to answer in.
    await client.chat.postMessage({ channel: input.user, text, blocks: [section(text)] });
  } catch (err) {
    deps.logger.warn(`mesh-help: could not tell ${input.user} how the settings were saved: ${slackError(err)}`);
  }
  return outcomes;
}

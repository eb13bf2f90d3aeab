/**
 * Block Kit limits, checked independently of the builders (numbers from
 * shared/reference/slack-platform.md). Returns one line per problem; empty means valid.
 */

type Json = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

const MAX = {
  messageBlocks: 50,
  viewBlocks: 100,
  text: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  staticOptions: 100,
  optionText: 75,
  actionElements: 25,
  contextElements: 10,
  choiceOptions: 10,
  viewTitle: 24,
  privateMetadata: 3000,
  messageText: 40_000,
} as const;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function textObject(t: unknown, where: string, max: number, out: string[], plainOnly = false): void {
  if (!isObj(t)) {
    out.push(`${where}: missing text object`);
    return;
  }
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') out.push(`${where}: text type ${String(t.type)}`);
  if (plainOnly && t.type !== 'plain_text') out.push(`${where}: must be plain_text`);
  const s = typeof t.text === 'string' ? t.text : '';
  if (!s.length) out.push(`${where}: empty text`);
  if (s.length > max) out.push(`${where}: text ${s.length} > ${max}`);
}

function idCheck(v: unknown, where: string, out: string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || !v.length || v.length > MAX.id) out.push(`${where}: id must be 1-${MAX.id} chars`);
}

function options(list: unknown, where: string, max: number, out: string[]): void {
  const opts = arr(list);
  if (!opts.length) out.push(`${where}: no options`);
  if (opts.length > max) out.push(`${where}: ${opts.length} options > ${max}`);
  opts.forEach((o, i) => {
    if (!isObj(o)) {
      out.push(`${where}.options[${i}]: not an object`);
      return;
    }
    textObject(o.text, `${where}.options[${i}].text`, MAX.optionText, out);
    if (typeof o.value !== 'string' || o.value.length > 150) out.push(`${where}.options[${i}]: value missing or > 150`);
  });
}

function element(e: unknown, where: string, out: string[]): void {
  if (!isObj(e)) {
    out.push(`${where}: not an object`);
    return;
  }
  idCheck(e.action_id, `${where}.action_id`, out);
  switch (e.type) {
    case 'button':
      textObject(e.text, `${where}.text`, MAX.buttonText, out, true);
      if (typeof e.value === 'string' && e.value.length > MAX.buttonValue) out.push(`${where}: value too long`);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      options(e.options, where, MAX.choiceOptions, out);
      break;
    case 'static_select':
    case 'multi_static_select':
      options(e.options, where, MAX.staticOptions, out);
      break;
    case 'plain_text_input':
    case 'conversations_select':
    case 'channels_select':
    case 'users_select':
      break;
    case 'number_input':
      // Slack requires saying whether decimals are allowed.
      if (typeof e.is_decimal_allowed !== 'boolean') out.push(`${where}: number_input without is_decimal_allowed`);
      break;
    case 'multi_users_select':
      if (e.max_selected_items !== undefined && !(Number(e.max_selected_items) >= 1))
        out.push(`${where}: max_selected_items below 1`);
      break;
    case 'datepicker':
      if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.initial_date)))
        out.push(`${where}: initial_date is not YYYY-MM-DD`);
      break;
    default:
      out.push(`${where}: unexpected element type ${String(e.type)}`);
  }
}

function block(b: unknown, where: string, surface: Surface, out: string[]): void {
  if (!isObj(b)) {
    out.push(`${where}: not an object`);
    return;
  }
  idCheck(b.block_id, `${where}.block_id`, out);
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) out.push(`${where}: section without text or fields`);
      if (b.text !== undefined) textObject(b.text, `${where}.text`, MAX.text, out);
      const fields = arr(b.fields);
      if (fields.length > MAX.fields) out.push(`${where}: ${fields.length} fields > ${MAX.fields}`);
      fields.forEach((f, i) => {
        textObject(f, `${where}.fields[${i}]`, MAX.field, out);
      });
      if (b.accessory !== undefined) element(b.accessory, `${where}.accessory`, out);
      break;
    }
    case 'header':
      textObject(b.text, `${where}.text`, MAX.header, out, true);
      break;
    case 'divider':
      break;
    case 'context': {
      const els = arr(b.elements);
      if (!els.length || els.length > MAX.contextElements) out.push(`${where}: ${els.length} context elements`);
      els.forEach((e, i) => {
        textObject(e, `${where}.elements[${i}]`, MAX.text, out);
      });
      break;
    }
    case 'actions': {
      const els = arr(b.elements);
      if (!els.length || els.length > MAX.actionElements) out.push(`${where}: ${els.length} action elements`);
      const ids = els.map((e) => (isObj(e) ? e.action_id : undefined)).filter((x) => x !== undefined);
      if (new Set(ids).size !== ids.length) out.push(`${where}: duplicate action_id in block`);
      els.forEach((e, i) => {
        element(e, `${where}.elements[${i}]`, out);
      });
      break;
    }
    case 'input':
      if (surface === 'message') out.push(`${where}: input blocks do not belong in messages`);
      textObject(b.label, `${where}.label`, 2000, out, true);
      element(b.element, `${where}.element`, out);
      break;
    default:
      out.push(`${where}: unexpected block type ${String(b.type)}`);
  }
}

function blocks(list: unknown, surface: Surface, out: string[]): void {
  const bs = arr(list);
  const max = surface === 'message' ? MAX.messageBlocks : MAX.viewBlocks;
  if (bs.length > max) out.push(`${bs.length} blocks > ${max}`);
  const ids = bs.map((b) => (isObj(b) ? b.block_id : undefined)).filter((x) => x !== undefined);
  if (new Set(ids).size !== ids.length) out.push('duplicate block_id');
  bs.forEach((b, i) => {
    block(b, `blocks[${i}]`, surface, out);
  });
}

/** A chat message (postMessage/update/postEphemeral/response_url body). */
export function checkMessage(msg: Json): string[] {
  const out: string[] = [];
  if (typeof msg.text !== 'string' || !msg.text.trim()) out.push('message without fallback text');
  else if (msg.text.length > MAX.messageText) out.push('fallback text too long');
  if (msg.blocks !== undefined) blocks(msg.blocks, 'message', out);
  if (msg.link_names !== undefined && msg.link_names !== false) out.push('link_names must not be set');
  if (msg.parse === 'full') out.push('parse: full must not be used');
  return out;
}

/** A modal or Home tab view. */
export function checkView(view: unknown): string[] {
  const out: string[] = [];
  if (!isObj(view)) return ['view missing'];
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    textObject(view.title, 'title', MAX.viewTitle, out, true);
    if (view.submit !== undefined) textObject(view.submit, 'submit', MAX.viewTitle, out, true);
    if (view.close !== undefined) textObject(view.close, 'close', MAX.viewTitle, out, true);
    const hasInput = arr(view.blocks).some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) out.push('modal with inputs needs submit');
  }
  idCheck(view.callback_id, 'callback_id', out);
  idCheck(view.external_id, 'external_id', out);
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > MAX.privateMetadata)
    out.push('private_metadata too long');
  blocks(view.blocks, surface, out);
  return out;
}

/**
 * Renders Block Kit messages and modals as an HTML page that imitates Slack's
 * layout (channel, thread, modals), for `npm run preview`. Pure: JSON in, HTML out.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Escapes text that is not mrkdwn (plain_text, names) for HTML. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** No colour-emoji font is assumed on the machine: Slack's emoji names become symbols most fonts have. */
const EMOJI: Record<string, string> = {
  white_check_mark: '<span class="e ok">✔</span>',
  heavy_check_mark: '<span class="e ok">✔</span>',
  ballot_box_with_check: '<span class="e ok">☑</span>',
  warning: '<span class="e warn">⚠</span>',
  bulb: '<span class="e idea">✦</span>',
  clipboard: '<span class="e">☰</span>',
  hourglass_flowing_sand: '<span class="e">⧗</span>',
  hourglass: '<span class="e">⧗</span>',
  alarm_clock: '<span class="e">◷</span>',
  compass: '<span class="e">➤</span>',
  x: '<span class="e bad">✘</span>',
  no_entry_sign: '<span class="e bad">⊘</span>',
  no_entry: '<span class="e bad">⊘</span>',
  wastebasket: '<span class="e">▢</span>',
  arrows_counterclockwise: '<span class="e">↻</span>',
  leftwards_arrow_with_hook: '<span class="e">↩</span>',
  twisted_rightwards_arrows: '<span class="e">⇄</span>',
  raised_hand: '<span class="e warn">✋</span>',
  link: '<span class="e">∞</span>',
  zzz: '<span class="e">z</span>',
  memo: '<span class="e">✎</span>',
  mag: '<span class="e">⌕</span>',
  speech_balloon: '<span class="e">❝</span>',
};

const PEOPLE: Record<string, string> = { U0ALICE: 'alice', U0BOB: 'bob', U0EVE: 'eve' };

/** Slack mrkdwn (already escaped for &, <, > by the bot) → HTML. */
export function mrkdwn(text: string): string {
  const links: string[] = [];
  // Links and mentions first: `<…>` is the only place raw angle brackets appear in escaped mrkdwn.
  let s = text.replace(/<([^<>]+)>/g, (_, inner: string) => {
    const [target = '', label] = inner.split('|');
    let html: string;
    if (target.startsWith('@')) html = `<span class="mention">@${PEOPLE[target.slice(1)] ?? target.slice(1)}</span>`;
    else if (target.startsWith('#')) html = `<span class="mention">#${label ?? target.slice(1)}</span>`;
    else if (target.startsWith('!')) html = `<span class="mention">@${target.slice(1)}</span>`;
    else html = `<a href="${target.replace(/"/g, '&quot;')}">${label ?? target}</a>`;
    links.push(html);
    return `\uE000${links.length - 1}\uE000`;
  });
  const codes: string[] = [];
  s = s.replace(/```([\s\S]*?)```/g, (_, c: string) => {
    codes.push(`<pre>${c}</pre>`);
    return `\uE001${codes.length - 1}\uE001`;
  });
  s = s.replace(/`([^`\n]+)`/g, (_, c: string) => {
    codes.push(`<code>${c}</code>`);
    return `\uE001${codes.length - 1}\uE001`;
  });
  s = s
    .replace(/(^|[\s(“"'>])\*([^*\n]+)\*(?=$|[\s).,:;!?”"'<…])/gm, '$1<b>$2</b>')
    .replace(/(^|[\s(“"'>])_([^_\n]+)_(?=$|[\s).,:;!?”"'<…])/gm, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/gm, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/^&gt; ?(.*)$/gm, '<blockquote>$1</blockquote>')
    .replace(/\n/g, '<br>');
  return s
    .replace(/\uE001(\d+)\uE001/g, (_, i: string) => codes[Number(i)] ?? '')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => links[Number(i)] ?? '');
}

/** A text object (plain_text or mrkdwn). */
function textObj(t: unknown): string {
  if (!isObj(t)) return '';
  return t.type === 'mrkdwn' ? mrkdwn(str(t.text)) : escapeHtml(str(t.text)).replace(/\n/g, '<br>');
}

function element(e: Json): string {
  switch (e.type) {
    case 'button': {
      const style = e.style === 'primary' ? ' primary' : e.style === 'danger' ? ' danger' : '';
      return `<span class="btn${style}">${textObj(e.text)}</span>`;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
    case 'multi_static_select':
    case 'multi_users_select': {
      const initial = isObj(e.initial_option) ? textObj(e.initial_option.text) : '';
      return `<span class="select">${initial || textObj(e.placeholder) || 'Select'} <span class="caret">▾</span></span>`;
    }
    case 'overflow':
      return '<span class="btn overflow">⋯</span>';
    case 'datepicker':
      return `<span class="select">${escapeHtml(str(e.initial_date)) || 'Pick a date'} <span class="caret">▾</span></span>`;
    case 'checkboxes':
    case 'radio_buttons': {
      const chosen = new Set(arr(e.initial_options).map((o) => str(o.value)));
      const box = e.type === 'checkboxes' ? ['☐', '☑'] : ['○', '◉'];
      return `<div class="choices">${arr(e.options)
        .map(
          (o) =>
            `<label class="choice"><span class="box">${box[chosen.has(str(o.value)) ? 1 : 0]}</span> ${textObj(o.text)}${
              o.description ? `<div class="desc">${textObj(o.description)}</div>` : ''
            }</label>`,
        )
        .join('')}</div>`;
    }
    case 'plain_text_input':
      return `<div class="textinput${e.multiline ? ' multi' : ''}">${textObj(e.placeholder)}</div>`;
    case 'image':
      return `<span class="img" title="${escapeHtml(str(e.alt_text))}">▣</span>`;
    case 'mrkdwn':
    case 'plain_text':
      return textObj(e);
    default:
      return `<span class="unknown">[${escapeHtml(str(e.type))}]</span>`;
  }
}

function block(b: Json): string {
  switch (b.type) {
    case 'header':
      return `<div class="b header">${textObj(b.text)}</div>`;
    case 'divider':
      return '<hr class="b divider">';
    case 'section': {
      const fields = arr(b.fields);
      const acc = isObj(b.accessory) ? `<div class="accessory">${element(b.accessory)}</div>` : '';
      return `<div class="b section"><div class="sec-body">${b.text ? `<div>${textObj(b.text)}</div>` : ''}${
        fields.length ? `<div class="fields">${fields.map((f) => `<div>${textObj(f)}</div>`).join('')}</div>` : ''
      }</div>${acc}</div>`;
    }
    case 'context':
      return `<div class="b context">${arr(b.elements).map(element).join(' ')}</div>`;
    case 'actions':
      return `<div class="b actions">${arr(b.elements).map(element).join('')}</div>`;
    case 'input':
      return `<div class="b input"><div class="label">${textObj(b.label)}${b.optional ? ' <span class="opt">(optional)</span>' : ''}</div>${
        isObj(b.element) ? element(b.element) : ''
      }${b.hint ? `<div class="hint">${textObj(b.hint)}</div>` : ''}</div>`;
    case 'image':
      return `<div class="b image">[image: ${escapeHtml(str(b.alt_text))}]</div>`;
    default:
      return `<div class="b unknown">[${escapeHtml(str(b.type))} block]</div>`;
  }
}

/** One message as Slack shows it: avatar, name, time, then its blocks (or its text when it has none). */
export type ShownMessage = {
  blocks: Json[];
  text: string;
  /** Who posted it: the bot unless a person's name is given. */
  author?: string;
  time?: string;
  /** Only the person who ran the command sees it. */
  ephemeral?: boolean;
  /** Also sent to the channel (a thread reply broadcast). */
  broadcast?: boolean;
  /** A file shared with the message (name shown as Slack's file card). */
  file?: string;
  /** Replies under it, shown as Slack's "N replies" line. */
  replies?: number;
  id?: string;
};

export function message(m: ShownMessage): string {
  const bot = m.author === undefined;
  const body = m.blocks.length ? m.blocks.map(block).join('') : `<div class="b section">${mrkdwn(m.text)}</div>`;
  return `<div class="msg${m.ephemeral ? ' ephemeral' : ''}"${m.id ? ` id="${escapeHtml(m.id)}"` : ''}>
  <div class="avatar${bot ? ' bot' : ''}">${bot ? 'mh' : escapeHtml((m.author ?? '?').slice(0, 1).toUpperCase())}</div>
  <div class="content">
    <div class="meta"><b>${bot ? 'mesh-help' : escapeHtml(m.author ?? '')}</b>${bot ? ' <span class="app">APP</span>' : ''} <span class="time">${escapeHtml(m.time ?? '')}</span>${
      m.broadcast ? ' <span class="also">also sent to the channel</span>' : ''
    }</div>
    ${m.ephemeral ? '<div class="only-you">Only visible to you</div>' : ''}
    ${body}
    ${m.file ? `<div class="file"><span class="file-icon">MD</span> ${escapeHtml(m.file)}</div>` : ''}
    ${m.replies ? `<div class="replies">${m.replies} replies</div>` : ''}
  </div>
</div>`;
}

/** A modal as Slack draws it: title bar, blocks, Close and Submit. */
export function modal(view: Json, id?: string): string {
  return `<div class="modal"${id ? ` id="${escapeHtml(id)}"` : ''}>
  <div class="modal-title">${textObj(view.title)}<span class="modal-x">✕</span></div>
  <div class="modal-body">${arr(view.blocks).map(block).join('')}</div>
  <div class="modal-foot">${view.close ? `<span class="btn">${textObj(view.close)}</span>` : ''}${
    view.submit ? `<span class="btn primary">${textObj(view.submit)}</span>` : ''
  }</div>
</div>`;
}

/** A column of the page: a pane title and its content. */
export type Pane = { title: string; subtitle?: string; html: string; id?: string };

export function page(title: string, panes: Pane[], summary: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${CSS}</style></head>
<body>
<div class="top"><b>${escapeHtml(title)}</b> <span>${summary}</span></div>
<div class="panes">
${panes
  .map(
    (p) =>
      `<section class="pane"${p.id ? ` id="${escapeHtml(p.id)}"` : ''}><div class="pane-title">${escapeHtml(p.title)}${
        p.subtitle ? `<span class="pane-sub">${escapeHtml(p.subtitle)}</span>` : ''
      }</div><div class="pane-body">${p.html}</div></section>`,
  )
  .join('\n')}
</div>
</body></html>`;
}

const CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.46668 "Lato", "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; color: #1d1c1d; background: #f8f8f8; }
.top { background: #3f0e40; color: #fff; padding: 10px 16px; font-size: 14px; }
.top span { opacity: .8; margin-left: 12px; }
.panes { display: flex; align-items: flex-start; gap: 16px; padding: 16px; }
.pane { background: #fff; border: 1px solid #ddd; border-radius: 8px; width: 560px; flex: none; }
.pane-title { font-weight: 900; font-size: 18px; padding: 12px 16px; border-bottom: 1px solid #e5e5e5; }
.pane-sub { font-weight: 400; font-size: 13px; color: #616061; margin-left: 8px; }
.pane-body { padding: 8px 0; }
.msg { display: flex; gap: 8px; padding: 8px 16px; }
.msg.ephemeral { background: #f4f8fb; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #e8912d; color: #fff; flex: none; display: flex; align-items: center; justify-content: center; font-weight: 700; }
.avatar.bot { background: #2eb67d; font-size: 13px; }
.content { flex: 1; min-width: 0; }
.meta { font-size: 15px; }
.meta .time { color: #616061; font-size: 12px; }
.app { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: 700; padding: 1px 3px; border-radius: 2px; }
.also, .only-you { color: #616061; font-size: 12px; }
.b { margin: 4px 0; overflow-wrap: anywhere; }
.header { font-weight: 900; font-size: 18px; margin-top: 6px; }
.divider { border: 0; border-top: 1px solid #e5e5e5; margin: 10px 0; }
.section { display: flex; gap: 8px; justify-content: space-between; }
.sec-body { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.context { color: #616061; font-size: 12.5px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.btn { display: inline-block; border: 1px solid #c8c8c8; border-radius: 4px; padding: 3px 12px; font-weight: 700; font-size: 14px; background: #fff; white-space: nowrap; }
.btn.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn.danger { color: #e01e5a; border-color: #e01e5a; }
.btn.overflow { padding: 3px 8px; }
.select { display: inline-block; border: 1px solid #c8c8c8; border-radius: 4px; padding: 3px 10px; font-size: 14px; color: #616061; }
.caret { margin-left: 6px; }
.choices { display: flex; flex-direction: column; gap: 2px; width: 100%; }
.choice .box { font-size: 16px; }
.desc { color: #616061; font-size: 12px; margin-left: 22px; }
.textinput { border: 1px solid #c8c8c8; border-radius: 4px; padding: 6px 10px; color: #999; }
.textinput.multi { height: 70px; }
.input .label { font-weight: 700; }
.input .opt, .hint { color: #616061; font-size: 12.5px; font-weight: 400; }
code { font: 12px "DejaVu Sans Mono", monospace; color: #c01343; background: #f6f6f6; border: 1px solid #e5e5e5; border-radius: 3px; padding: 0 3px; }
pre { font: 12px "DejaVu Sans Mono", monospace; background: #f6f6f6; border: 1px solid #e5e5e5; border-radius: 4px; padding: 8px; white-space: pre-wrap; }
blockquote { border-left: 4px solid #ddd; margin: 0; padding-left: 8px; }
a { color: #1264a3; text-decoration: none; }
.mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
.e { font-weight: 700; }
.e.ok { color: #007a5a; } .e.warn { color: #e8912d; } .e.bad { color: #e01e5a; } .e.idea { color: #ecb22e; }
.file { border: 1px solid #ddd; border-radius: 6px; padding: 8px; margin-top: 6px; display: inline-flex; gap: 8px; align-items: center; font-weight: 700; }
.file-icon { background: #1264a3; color: #fff; border-radius: 4px; font-size: 11px; padding: 4px; }
.replies { color: #1264a3; font-size: 13px; font-weight: 700; margin-top: 4px; }
.modal { background: #fff; border-radius: 8px; box-shadow: 0 4px 20px rgba(0,0,0,.25); margin: 12px 16px 24px; }
.modal-title { font-weight: 900; font-size: 22px; padding: 16px 20px; border-bottom: 1px solid #e5e5e5; display: flex; justify-content: space-between; }
.modal-x { color: #616061; font-weight: 400; }
.modal-body { padding: 8px 20px; }
.modal-foot { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 20px; border-top: 1px solid #e5e5e5; }
.unknown { color: #e01e5a; }
.note { color: #616061; font-size: 13px; padding: 4px 16px; }
`;

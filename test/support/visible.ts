/** What a person sees of a Block Kit message: its visible characters and its controls, as the issue counts them. */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** mrkdwn as it reads: markers dropped, links by their label, mentions as @name, entities as one character. */
export function readable(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, '$2')
    .replace(/<[@#!]([^<>]+)>/g, '@$1')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&(amp|lt|gt);/g, '&')
    .replace(/:[a-z0-9_+-]+:/g, '•')
    .replace(/[*_~`]/g, '');
}

const textOf = (t: unknown): string => (isObj(t) && typeof t.text === 'string' ? readable(t.text) : '');

function elementText(e: Json): string[] {
  return [textOf(e.text), textOf(e.placeholder), ...arr(e.options).map((o) => textOf(o.text))].filter(Boolean);
}

/** Every piece of text a block shows. */
function blockTexts(b: Json): string[] {
  return [
    textOf(b.text),
    textOf(b.label),
    ...arr(b.fields).map(textOf),
    ...arr(b.elements).flatMap((e) => (e.type === 'mrkdwn' || e.type === 'plain_text' ? [textOf(e)] : elementText(e))),
    ...(isObj(b.accessory) ? elementText(b.accessory) : []),
    ...(isObj(b.element) ? elementText(b.element) : []),
  ].filter(Boolean);
}

/** Visible characters of a message's blocks (its fallback `text` is not shown when it has blocks). */
export function visibleChars(blocks: readonly unknown[]): number {
  return arr(blocks)
    .flatMap(blockTexts)
    .reduce((n, t) => n + t.length, 0);
}

const INTERACTIVE = /button|select|overflow|checkboxes|radio_buttons|datepicker|timepicker/;

/** Controls a person can click: each button, select, overflow menu or set of boxes counts once. */
export function controls(blocks: readonly unknown[]): number {
  return arr(blocks).reduce(
    (n, b) =>
      n +
      arr(b.elements).filter((e) => INTERACTIVE.test(String(e.type))).length +
      (isObj(b.accessory) && INTERACTIVE.test(String(b.accessory.type)) ? 1 : 0),
    0,
  );
}

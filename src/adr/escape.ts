/** Whitespace a single-line field must not carry: line breaks (incl. Unicode ones), tabs and control characters. */
const BREAKS = /[\s\p{Cc}\u200b]+/gu;

/** One line of user text: every run of whitespace or control characters becomes one space. */
export function oneLine(text: string): string {
  return text.replace(BREAKS, ' ').trim();
}

/** Characters that could open emphasis, code, links, tables, headings or strikethrough (an image needs `[` too). */
const MARKDOWN_CONTROL = /[\\`*_[\]#|~]/g;

/**
 * User text as inline Markdown that renders as the same characters and cannot
 * start a block, a link, an image or raw HTML: flattened to one line, HTML
 * metacharacters as entities, Markdown control characters backslash-escaped.
 */
export function inline(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_CONTROL, (c) => `\\${c}`);
}

/** A link destination for an http(s) URL, or undefined for anything else (javascript:, data:, garbage). */
export function safeUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // href already percent-encodes spaces, quotes and angle brackets; parentheses would end the destination.
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** Text for a Mermaid node label in double quotes: entity codes for anything Mermaid or the code fence reads. */
export function mermaidLabel(text: string): string {
  return oneLine(text)
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
}

/**
 * Escapes user text for mrkdwn: exactly `&`, `<` and `>`, which is what stops
 * `<!channel>`, `<@U…>` and forged links. Nothing else is touched.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes Slack's own escaping of text it sends us (commands, messages), so it is stored as typed. */
export const unescapeSlack = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Cuts text to a Block Kit limit, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  // Do not leave half an escape sequence (`&am…`) behind.
  return `${cut.replace(/&[a-z]{0,4}$/, '')}…`;
}

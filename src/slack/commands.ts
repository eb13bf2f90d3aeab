import { SUBCOMMANDS } from './blocks/menu.js';

/** A `/mesh-help` invocation, parsed. */
export type ParsedCommand =
  | { kind: 'menu' }
  | { kind: 'start'; title: string }
  | { kind: 'compare'; patterns: string[] }
  | { kind: 'decisions' }
  | { kind: 'export' }
  | { kind: 'help' }
  | { kind: 'unknown'; given: string; suggestion?: string | undefined };

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known word, if it is close enough to be a typo. */
export function suggest(given: string, known: readonly string[]): string | undefined {
  const word = given.toLowerCase();
  const prefixed = known.filter((k) => k.startsWith(word) && word.length >= 2);
  if (prefixed.length === 1) return prefixed[0];
  let best: { word: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(word, k);
    if (!best || d < best.d) best = { word: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.word : undefined;
}

/** Parses the text after `/mesh-help`. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'menu' };
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const sub = head.toLowerCase();
  const args = trimmed.slice(head.length).trim();
  switch (sub) {
    case 'start':
      return { kind: 'start', title: args };
    case 'compare':
      return { kind: 'compare', patterns: rest.map((p) => p.toLowerCase()) };
    case 'decisions':
      return { kind: 'decisions' };
    case 'export':
      return { kind: 'export' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', given: head.slice(0, 40), suggestion: suggest(sub, SUBCOMMANDS) };
  }
}

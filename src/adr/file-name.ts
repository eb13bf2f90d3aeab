/** Longest slug in a file name, so paths stay short on every file system and in Slack uploads. */
export const MAX_SLUG = 60;

/** A kebab-case, ASCII-only slug of a title; "decision" when nothing usable is left. */
export function slugify(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!ascii) return 'decision';
  if (ascii.length <= MAX_SLUG) return ascii;
  const cut = ascii.slice(0, MAX_SLUG);
  // End on a word boundary when there is one in the second half, and never on a dash.
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > MAX_SLUG / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/g, '');
}

/** The record's number as adr-tools, MADR and Backstage write it: four digits, zero-padded. */
export const adrNumber = (n: number): string => String(n).padStart(4, '0');

/** `NNNN-kebab-title.md`, the name adr-tools, MADR, adr-log and Backstage's ADR plugin expect. */
export function adrFileName(number: number, title: string): string {
  return `${adrNumber(number)}-${slugify(title)}.md`;
}

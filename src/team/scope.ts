import { err, ok, type Result } from '../engine/result.js';

/** Most cluster or environment tags one record may carry. */
export const MAX_SCOPE_TAGS = 10;

const TAG = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/**
 * Free cluster or environment tags (`prod-eu`, `staging`), as people type
 * them: separated by commas or spaces, lower-cased, each once, in order.
 */
export function parseScope(text: string): Result<string[], string> {
  const tags = [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const bad = tags.find((t) => !TAG.test(t));
  if (bad !== undefined)
    return err(
      `"${bad.slice(0, 40)}" is not a cluster or environment tag: letters, digits, . _ - (up to 40), e.g. prod-eu`,
    );
  if (tags.length > MAX_SCOPE_TAGS) return err(`at most ${MAX_SCOPE_TAGS} cluster or environment tags`);
  return ok(tags);
}

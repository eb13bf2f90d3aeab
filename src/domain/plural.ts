/** English plurals through the platform's rules (never "(s)"), for every surface people read. */
const rules = new Intl.PluralRules('en');

/** "1 question", "3 questions"; `other` defaults to the regular plural of `one`. */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${n} ${rules.select(n) === 'one' ? one : other}`;
}

/** The word alone, for sentences that place the number themselves ("was" / "were"). */
export const pick = (n: number, one: string, other: string): string => (rules.select(n) === 'one' ? one : other);

import { current, isDraft, original } from 'immer';

/**
 * Finds an element by a key that never changes (an id, a number, a thread).
 *
 * Inside a store update the lists are drafts, and reading each element of a
 * draft to test it makes a draft of every element. This tests the stored
 * elements instead and drafts only the one found, so a lookup in a team with
 * thousands of sessions costs a scan of plain objects. Elements added during
 * the update are searched too; if the list was reordered, it falls back to a
 * plain search.
 */
export function findByKey<T>(list: readonly T[], matches: (item: T) => boolean): T | undefined {
  if (!isDraft(list)) return list.find(matches);
  const base = original(list as unknown as object) as unknown as readonly T[];
  const i = base.findIndex(matches);
  if (i >= 0) {
    const item = list[i] as T;
    const itemBase = isDraft(item) ? original(item as object) : item;
    return itemBase === base[i] ? item : list.find(matches);
  }
  for (let j = base.length; j < list.length; j++) {
    const item = list[j] as T;
    if (matches(item)) return item;
  }
  return list.length < base.length ? list.find(matches) : undefined;
}

/**
 * A list to scan without changing it: inside an update, reading each element
 * of a draft makes a draft of it, so a scan of a team's sessions would cost a
 * proxy per session. This gives the stored elements instead (the list as it is
 * now when the update changed it already). Change elements through the draft.
 */
export function plainList<T>(list: readonly T[]): readonly T[] {
  return isDraft(list) ? (current(list as unknown as object) as unknown as readonly T[]) : list;
}

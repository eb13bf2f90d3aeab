import { createDraft, finishDraft, isDraft } from 'immer';
import { describe, expect, it } from 'vitest';
import { findByKey } from '../../src/team/lookup.js';

type Item = { id: string; n: number };
const base = (): { items: Item[] } => ({
  items: [
    { id: 'a', n: 1 },
    { id: 'b', n: 2 },
    { id: 'c', n: 3 },
  ],
});

describe('findByKey', () => {
  it('finds in a plain list', () => {
    expect(findByKey(base().items, (x) => x.id === 'b')?.n).toBe(2);
  });

  it('returns the draft of the element found in a draft, so changing it is saved', () => {
    const draft = createDraft(base());
    const found = findByKey(draft.items, (x) => x.id === 'c');
    expect(found && isDraft(found)).toBe(true);
    if (found) found.n = 30;
    expect(finishDraft(draft).items.map((x) => x.n)).toEqual([1, 2, 30]);
  });

  it('finds elements added during the update and misses absent ones', () => {
    const draft = createDraft(base());
    draft.items.push({ id: 'd', n: 4 });
    expect(findByKey(draft.items, (x) => x.id === 'd')?.n).toBe(4);
    expect(findByKey(draft.items, (x) => x.id === 'z')).toBeUndefined();
  });

  it('still finds the right element after the list was reordered or shortened', () => {
    const draft = createDraft(base());
    draft.items.reverse();
    expect(findByKey(draft.items, (x) => x.id === 'a')?.n).toBe(1);
    draft.items.splice(0, 1);
    expect(findByKey(draft.items, (x) => x.id === 'b')?.n).toBe(2);
    expect(findByKey(draft.items, (x) => x.id === 'c')).toBeUndefined();
  });
});

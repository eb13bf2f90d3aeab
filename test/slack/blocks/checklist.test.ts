import { describe, expect, it } from 'vitest';
import { type ChecklistLine, checklistKey, checklistState } from '../../../src/engine/checklist.js';
import type { Answers, Flow } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { type ChecklistItem, recommend } from '../../../src/engine/recommend.js';
import { checklistMessage, ITEMS_ONE_EACH, MAX_ITEMS } from '../../../src/slack/blocks/checklist.js';
import { CHECKLIST_ACTION, parseChecklistValue } from '../../../src/slack/ids.js';
import { checkMessage } from '../../support/block-kit.js';

const flow = getFlow();
type Json = Record<string, unknown>;
const NASTY = '<!channel> & <@U0BOSS>';
const AT = '2026-11-20T10:00:00.000Z';

/** Every answer set worth trying: each multi-choice question with everything ticked, each single one best for size. */
function biggestChecklist(f: Flow): { answers: Answers; items: ChecklistItem[] } {
  const answers: Answers = {};
  for (const q of f.interview.questions) {
    if (q.kind === 'multi') answers[q.id] = q.options.map((o) => o.id).filter((id) => id !== 'none');
  }
  // Coordinate ascent: each single-choice question takes the option that lists the most items, until nothing grows.
  let best = recommend(f, answers).checklist.length;
  for (let round = 0, grew = true; grew && round < 5; round++) {
    grew = false;
    for (const q of f.interview.questions) {
      if (q.kind === 'multi') continue;
      for (const o of q.options) {
        const tried = { ...answers, [q.id]: o.id };
        const size = recommend(f, tried).checklist.length;
        if (size > best) {
          best = size;
          answers[q.id] = o.id;
          grew = true;
        }
      }
    }
  }
  return { answers, items: recommend(f, answers).checklist };
}

const line = (i: number, extra: Partial<ChecklistItem> = {}): ChecklistLine => {
  const item = { pattern: 'service-mesh', item: `Item ${i} ${NASTY}`, because: `Because ${i} ${NASTY}`, ...extra };
  return { ...item, key: checklistKey(item) };
};
const ticked = (l: ChecklistLine, by = 'U0BOB'): ChecklistLine => ({ ...l, tick: { by, byName: 'bob', at: AT } });

const sections = (blocks: Json[]) => blocks.filter((b) => b.type === 'section');
const buttons = (blocks: Json[]): Json[] =>
  blocks.flatMap((b) => [
    ...(b.accessory ? [b.accessory as Json] : []),
    ...((b.type === 'actions' ? b.elements : []) as Json[]),
  ]);
const texts = (blocks: Json[]) => JSON.stringify(blocks);

describe('the readiness checklist message', () => {
  it('has a header, says who may tick, one section per item with its button, and the progress', () => {
    const lines = [line(1), ticked(line(2)), line(3)];
    const msg = checklistMessage(flow, lines, 'active');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    // The progress reads first, in the header (issue #17: "3 of 9 done").
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Readiness checklist: 1 of 3 done' } });
    expect(blocks[1]?.type).toBe('context');
    expect(texts([blocks[1] as Json])).toContain('Anyone on the team can tick an item');
    expect(sections(blocks)).toHaveLength(3);
    expect(blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: '*1 of 3 done*' }] });
    expect(msg.text).toBe('Readiness checklist: 1 of 3 done');

    const [first, second] = sections(blocks);
    if (!first || !second) throw new Error('missing sections');
    expect((first.text as Json).text).toMatch(/^☐ \*Service mesh\*: Item 1 .*\n_why:_ Because 1/);
    expect((second.text as Json).text).toMatch(/^✅ \*Service mesh\*: Item 2 .*\nticked by <@U0BOB> on 2026-11-20$/s);
    expect(first.block_id).toBe(`checklist:${lines[0]?.key}`);
    // The button carries the state it asks for: Done ticks, Undo unticks, so a double click is idempotent.
    expect(buttons(blocks).map((b) => [b.action_id, (b.text as Json).text, b.value])).toEqual([
      ['checklist:toggle', 'Done', `tick:${lines[0]?.key}`],
      ['checklist:toggle', 'Undo', `untick:${lines[1]?.key}`],
      ['checklist:toggle', 'Done', `tick:${lines[2]?.key}`],
    ]);
    for (const b of buttons(blocks)) {
      // Plain buttons: Slack reserves `primary` for one main action, and a checklist has none.
      expect(b.style).toBeUndefined();
      expect(String(b.action_id)).toMatch(CHECKLIST_ACTION);
      expect(parseChecklistValue(String(b.value))?.key).toMatch(/^[0-9a-f]{12}$/);
    }
  });

  it('escapes every text and mentions only the person who ticked', () => {
    const lines = [ticked(line(1, { pattern: NASTY }), `terminal ${NASTY}`), ticked(line(2))];
    const text = texts(checklistMessage(flow, lines, 'active').blocks as unknown as Json[]);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0BOSS>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(text).toContain('ticked by terminal &lt;!channel&gt;');
    expect(text).toContain('ticked by <@U0BOB> on 2026-11-20');
  });

  it('shows who ticked what for a real recommendation, and an item once even if listed twice', () => {
    const answers: Answers = { clusters: 'one', services: '50-plus', pains: ['mtls', 'flaky-calls'] };
    const rec = recommend(flow, answers);
    expect(rec.checklist.length).toBeGreaterThan(1);
    const [a, b] = rec.checklist;
    if (!a || !b) throw new Error('no checklist');
    const ticks = { [checklistKey(b)]: { by: 'U0ALICE', at: AT } };
    const lines = checklistState({ ...rec, checklist: [...rec.checklist, a] }, ticks);
    const msg = checklistMessage(flow, lines, 'active');
    const blocks = msg.blocks as unknown as Json[];
    expect(sections(blocks)).toHaveLength(rec.checklist.length);
    const withTick = sections(blocks).filter((s) => String((s.text as Json).text).includes('ticked by'));
    expect(withTick.map((s) => s.block_id)).toEqual([`checklist:${checklistKey(b)}`]);
    expect(texts(withTick)).toContain('<@U0ALICE> on 2026-11-20');
    expect(msg.text).toBe(`Readiness checklist: 1 of ${rec.checklist.length} done`);
  });

  it('a replaced checklist says so and takes no ticks', () => {
    const msg = checklistMessage(flow, [line(1), ticked(line(2))], 'replaced');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    expect(buttons(blocks)).toEqual([]);
    expect(texts(blocks)).toContain('An answer changed, so this checklist no longer holds');
  });
});

describe('Block Kit limits', () => {
  it('the biggest checklist recommend produces fits, unticked and all ticked', () => {
    const { answers, items } = biggestChecklist(flow);
    expect(items.length, JSON.stringify(answers)).toBeGreaterThan(10);
    const open = checklistState(recommend(flow, answers));
    const done = open.map((l) => ticked(l, 'U0SOMEONEWITHALONGID'));
    for (const lines of [open, done]) {
      const msg = checklistMessage(flow, lines, 'active');
      expect(checkMessage(msg), JSON.stringify(answers)).toEqual([]);
      expect(buttons(msg.blocks as unknown as Json[])).toHaveLength(new Set(lines.map((l) => l.key)).size);
    }
  });

  it('groups items with numbered buttons when one section each would pass 50 blocks, and names what it cannot show', () => {
    const long = (i: number) =>
      line(i, { item: `${NASTY} ${'x'.repeat(400)} ${i}`, because: `${'<&>'.repeat(100)} ${i}` });
    for (const n of [ITEMS_ONE_EACH, ITEMS_ONE_EACH + 1, 100, MAX_ITEMS, MAX_ITEMS + 20]) {
      const lines = Array.from({ length: n }, (_, i) => (i % 3 ? long(i) : ticked(long(i))));
      const msg = checklistMessage(flow, lines, 'active');
      const blocks = msg.blocks as unknown as Json[];
      expect(checkMessage(msg), `${n} items`).toEqual([]);
      const shown = Math.min(n, MAX_ITEMS);
      const bs = buttons(blocks);
      expect(bs, `${n} items`).toHaveLength(shown);
      expect(new Set(bs.map((b) => b.value)).size).toBe(shown);
      for (const b of bs) expect(String(b.action_id)).toMatch(CHECKLIST_ACTION);
      // Who ticked is never cut off, however long the item.
      const ticks = (texts(blocks).match(/ticked by <@U0BOB> on 2026-11-20/g) ?? []).length;
      expect(ticks).toBe(lines.slice(0, shown).filter((l) => l.tick).length);
      if (n > ITEMS_ONE_EACH) expect(blocks.some((b) => b.type === 'actions')).toBe(true);
      if (n > MAX_ITEMS) expect(texts(blocks)).toContain('20 more items are not shown here');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { type ChecklistLine, checklistKey, checklistState } from '../../../src/engine/checklist.js';
import type { Answers, Flow } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { type ChecklistItem, recommend } from '../../../src/engine/recommend.js';
import { checklistMessage, GROUP_SIZE, MAX_ITEMS } from '../../../src/slack/blocks/checklist.js';
import { CHECKLIST_ACTION, parseChecklistBlockId } from '../../../src/slack/ids.js';
import { checklistChanges } from '../../../src/slack/listeners/actions/checklist.js';
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

/** Every interactive element of a message: the checklist's controls. */
const controls = (blocks: Json[]): Json[] =>
  blocks.flatMap((b) => [
    ...(b.accessory ? [b.accessory as Json] : []),
    ...((b.type === 'actions' ? b.elements : []) as Json[]),
  ]);
const boxesOf = (blocks: Json[]) => controls(blocks).filter((e) => e.type === 'checkboxes');
const optionsOf = (blocks: Json[]): Json[] => boxesOf(blocks).flatMap((e) => e.options as Json[]);
const selectedOf = (blocks: Json[]): string[] =>
  boxesOf(blocks).flatMap((e) => ((e.initial_options ?? []) as Json[]).map((o) => String(o.value)));
const blockIds = (blocks: Json[]) => blocks.filter((b) => b.type === 'actions').map((b) => String(b.block_id));
const texts = (blocks: Json[]) => JSON.stringify(blocks);

describe('the readiness checklist message', () => {
  it('has a header, says who may tick, the items as checkboxes with why and who ticked, and the progress', () => {
    const lines = [line(1), ticked(line(2)), line(3)];
    const msg = checklistMessage(flow, lines, 'active');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    // The progress reads first, in the header (issue #17: "3 of 9 done").
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Readiness checklist: 1 of 3 done' } });
    expect(blocks[1]?.type).toBe('context');
    expect(texts([blocks[1] as Json])).toContain('Anyone on the team can tick an item');
    expect(blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: '*1 of 3 done*' }] });
    expect(msg.text).toBe('Readiness checklist: 1 of 3 done');

    // One checkboxes element, no buttons: one control for three items.
    expect(controls(blocks)).toHaveLength(1);
    const [boxes] = boxesOf(blocks);
    expect(boxes?.action_id).toMatch(CHECKLIST_ACTION);
    const options = optionsOf(blocks);
    expect(options.map((o) => o.value)).toEqual(lines.map((l) => l.key));
    expect(options[0]?.text).toMatchObject({ type: 'mrkdwn', text: 'Item 1 &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;' });
    expect(options[0]?.description).toMatchObject({
      type: 'plain_text',
      text: expect.stringMatching(/^Why: Because 1 /),
    });
    // Who ticked and when, and the ticked item is selected.
    expect(options[1]?.description).toMatchObject({
      text: expect.stringMatching(/^Ticked by @bob on 2026-11-20 · Why: Because 2/),
    });
    expect(selectedOf(blocks)).toEqual([lines[1]?.key]);
    // The block_id names what the message shows ticked, so a click says what the person changed.
    expect(parseChecklistBlockId(blockIds(blocks)[0])).toEqual([lines[1]?.key]);
    // Plain checkboxes: no `primary` anywhere (Slack reserves it for one main action).
    expect(texts(blocks)).not.toContain('primary');
  });

  it('an 11-item checklist is two controls of at most ten options, ticked items selected', () => {
    const lines = Array.from({ length: 11 }, (_, i) => (i % 4 === 0 ? ticked(line(i)) : line(i)));
    const msg = checklistMessage(flow, lines, 'active');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    expect(controls(blocks)).toHaveLength(2);
    expect(boxesOf(blocks).map((e) => (e.options as Json[]).length)).toEqual([GROUP_SIZE, 1]);
    expect(selectedOf(blocks)).toEqual(lines.filter((l) => l.tick).map((l) => l.key));
    expect(new Set(blockIds(blocks)).size).toBe(2);
  });

  it('changes the block_id whenever the ticks change, so Slack drops a stale selection', () => {
    const lines = [line(1), line(2)];
    const ids = [
      lines,
      [ticked(lines[0] as ChecklistLine), lines[1] as ChecklistLine],
      [{ ...ticked(lines[0] as ChecklistLine), tick: { by: 'U0ALICE', at: '2026-11-21T09:00:00.000Z' } }, lines[1]],
      lines,
    ].map((ls) => blockIds(checklistMessage(flow, ls as ChecklistLine[], 'active').blocks as unknown as Json[])[0]);
    // Ticked, then re-ticked by someone else, each a new id; the same ticks give the same id back.
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(ids[3]).toBe(ids[0]);
  });

  it('escapes every text and names the person who ticked', () => {
    const lines = [ticked(line(1, { pattern: NASTY }), `terminal ${NASTY}`), ticked(line(2))];
    lines[0] = { ...(lines[0] as ChecklistLine), tick: { by: `terminal ${NASTY}`, at: AT } };
    const msg = checklistMessage(flow, lines, 'active');
    expect(checkMessage(msg)).toEqual([]);
    const text = texts(msg.blocks as unknown as Json[]);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0BOSS>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(text).toContain('Ticked by terminal &lt;!channel&gt;');
    expect(text).toContain('Ticked by @bob on 2026-11-20');
  });

  it('shows who ticked what for a real recommendation, and an item once even if listed twice', () => {
    const answers: Answers = { clusters: 'one', services: '50-plus', pains: ['mtls', 'flaky-calls'] };
    const rec = recommend(flow, answers);
    expect(rec.checklist.length).toBeGreaterThan(1);
    const [a, b] = rec.checklist;
    if (!a || !b) throw new Error('no checklist');
    const ticks = { [checklistKey(b)]: { by: 'U0ALICE', byName: 'alice', at: AT } };
    const lines = checklistState({ ...rec, checklist: [...rec.checklist, a] }, ticks);
    const msg = checklistMessage(flow, lines, 'active');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    expect(optionsOf(blocks)).toHaveLength(rec.checklist.length);
    const withTick = optionsOf(blocks).filter((o) => String((o.description as Json).text).startsWith('Ticked by'));
    expect(withTick.map((o) => o.value)).toEqual([checklistKey(b)]);
    expect(texts(withTick)).toContain('Ticked by @alice on 2026-11-20');
    expect(msg.text).toBe(`Readiness checklist: 1 of ${rec.checklist.length} done`);
  });

  it('a replaced checklist says so and takes no ticks', () => {
    const msg = checklistMessage(flow, [line(1), ticked(line(2))], 'replaced');
    const blocks = msg.blocks as unknown as Json[];
    expect(checkMessage(msg)).toEqual([]);
    expect(controls(blocks)).toEqual([]);
    expect(texts(blocks)).toContain('An answer changed, so this checklist no longer holds');
  });
});

describe('what a click on the checkboxes changed', () => {
  const [a, b, c] = [line(1), line(2), line(3)].map((l) => l.key) as [string, string, string];
  const blockId = (ticked: string[]) =>
    blockIds(
      checklistMessage(
        flow,
        [line(1), line(2), line(3)].map((l) => (ticked.includes(l.key) ? { ...l, tick: { by: 'U0BOB', at: AT } } : l)),
        'active',
      ).blocks as unknown as Json[],
    )[0];
  const click = (shown: string[], selected: string[]) =>
    checklistChanges({
      action_id: 'checklist:ticks',
      block_id: blockId(shown),
      selected_options: selected.map((value) => ({ value })),
    });

  it('is the difference between what the person saw and what they now select', () => {
    expect(click([], [a])).toEqual([{ intent: 'tick', key: a }]);
    expect(click([a, b], [b])).toEqual([{ intent: 'untick', key: a }]);
    // A view older than someone else's tick of `a`: only `c` is this person's change, `a` is left alone.
    expect(click([b], [b, c])).toEqual([{ intent: 'tick', key: c }]);
    expect(click([a], [a])).toEqual([]);
  });

  it('refuses a block_id or a value that is not a checklist item, and reads an older Done button', () => {
    expect(click([], ['<!channel>'])).toBeUndefined();
    expect(
      checklistChanges({ action_id: 'checklist:ticks', block_id: 'q:pains', selected_options: [] }),
    ).toBeUndefined();
    expect(checklistChanges({ action_id: 'checklist:toggle', value: `untick:${a}` })).toEqual([
      { intent: 'untick', key: a },
    ]);
    expect(checklistChanges({ action_id: 'checklist:toggle', value: 'tick:<!channel>' })).toBeUndefined();
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
      const blocks = msg.blocks as unknown as Json[];
      expect(checkMessage(msg), JSON.stringify(answers)).toEqual([]);
      const keys = new Set(lines.map((l) => l.key)).size;
      expect(optionsOf(blocks)).toHaveLength(keys);
      expect(controls(blocks)).toHaveLength(Math.ceil(keys / GROUP_SIZE));
    }
  });

  it('keeps long items within the option limits, who ticked never cut, and names what it cannot show', () => {
    const long = (i: number) =>
      line(i, { item: `${NASTY} ${'x'.repeat(400)} ${i}`, because: `${'<&>'.repeat(100)} ${i}` });
    for (const n of [GROUP_SIZE, GROUP_SIZE + 1, 100, MAX_ITEMS, MAX_ITEMS + 20]) {
      const lines = Array.from({ length: n }, (_, i) => (i % 3 ? long(i) : ticked(long(i), 'U0SOMEONEWITHALONGID')));
      const msg = checklistMessage(flow, lines, 'active');
      const blocks = msg.blocks as unknown as Json[];
      expect(checkMessage(msg), `${n} items`).toEqual([]);
      const shown = Math.min(n, MAX_ITEMS);
      const options = optionsOf(blocks);
      expect(options, `${n} items`).toHaveLength(shown);
      for (const o of options) expect(String((o.description as Json).text).length).toBeLessThanOrEqual(75);
      expect(controls(blocks)).toHaveLength(Math.ceil(shown / GROUP_SIZE));
      for (const b of blockIds(blocks)) expect(b.length).toBeLessThanOrEqual(255);
      // Who ticked is never cut off, however long the item.
      const ticks = (texts(options).match(/Ticked by @bob on 2026-11-20/g) ?? []).length;
      expect(ticks).toBe(lines.slice(0, shown).filter((l) => l.tick).length);
      expect(selectedOf(blocks)).toHaveLength(ticks);
      if (n > MAX_ITEMS) expect(texts(blocks)).toContain('20 more items are not shown here');
    }
  });
});

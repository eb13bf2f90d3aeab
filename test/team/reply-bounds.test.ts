import { describe, expect, it } from 'vitest';
import { startSession } from '../../src/domain/machine/session.js';
import { emptyTeam } from '../../src/store/schema.js';
import {
  CLIPPED_MARK,
  captureReply,
  editReply,
  MAX_REPLY_CHARS,
  MAX_THREAD_REPLIES,
} from '../../src/team/discussion.js';

const at = '2026-11-25T10:00:00.000Z';
function team() {
  const doc = emptyTeam('T1');
  const session = startSession(doc, {
    id: 's1',
    startedBy: 'U1',
    title: 't',
    now: new Date(at),
    channel: 'C1',
    threadTs: '100.1',
  });
  return { doc, session };
}

describe('what one thread may store is bounded', () => {
  it('a long reply keeps its first part, a mark and its link to Slack; an edit is bounded the same way', () => {
    const { doc, session } = team();
    const long = `${'why not linkerd? '.repeat(2300)}`;
    expect(long.length).toBeGreaterThan(39_000);
    const permalink = 'https://acme.slack.com/archives/C1/p100000200';
    expect(captureReply(doc, session, { ts: '100.2', user: 'U2', text: long, at, permalink })).toBe(true);
    const kept = session.replies[0];
    expect(kept?.text.startsWith(long.slice(0, MAX_REPLY_CHARS))).toBe(true);
    expect(kept?.text.endsWith(CLIPPED_MARK)).toBe(true);
    expect(kept?.text.length).toBe(MAX_REPLY_CHARS + CLIPPED_MARK.length);
    expect(kept?.permalink).toBe(permalink);
    // A short one is kept exactly; an emoji at the cut is never split in half.
    expect(captureReply(doc, session, { ts: '100.3', user: 'U2', text: 'short', at })).toBe(true);
    expect(session.replies[1]?.text).toBe('short');
    const emoji = `${'x'.repeat(MAX_REPLY_CHARS - 1)}😀😀`;
    expect(captureReply(doc, session, { ts: '100.4', user: 'U2', text: emoji, at })).toBe(true);
    expect(session.replies[2]?.text).toBe(`${'x'.repeat(MAX_REPLY_CHARS - 1)}😀${CLIPPED_MARK}`);
    expect(editReply(doc, session, '100.3', long, at)).toBe(true);
    expect(session.replies[1]?.text.length).toBe(MAX_REPLY_CHARS + CLIPPED_MARK.length);
  });

  it('a thread keeps its first replies up to the limit; later ones stay in Slack only', () => {
    const { doc, session } = team();
    for (let i = 0; i < MAX_THREAD_REPLIES + 50; i++) {
      const ts = `200.${String(i).padStart(6, '0')}`;
      const stored = captureReply(doc, session, { ts, user: 'U2', text: `reply ${i}`, at });
      expect(stored).toBe(i < MAX_THREAD_REPLIES);
    }
    expect(session.replies).toHaveLength(MAX_THREAD_REPLIES);
    expect(session.replies.at(-1)?.text).toBe(`reply ${MAX_THREAD_REPLIES - 1}`);
    // 1,200 replies of 39,000 characters stay within a few megabytes, not tens.
    const { doc: big, session: s } = team();
    for (let i = 0; i < 1200; i++) {
      captureReply(big, s, { ts: `300.${String(i).padStart(6, '0')}`, user: 'U2', text: 'y'.repeat(39_000), at });
    }
    expect(JSON.stringify(big).length).toBeLessThan(MAX_THREAD_REPLIES * (MAX_REPLY_CHARS + 200));
  });
});

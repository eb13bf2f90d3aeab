import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, type Session } from '../../../src/store/index.js';
import { startInterview } from '../../support/driver.js';
import { BOB, CHANNEL, type Harness, HOME_TEAM, startHarness } from '../../support/harness.js';

/**
 * Issue #21 item 6: a captured reply costs its thread, never the team. In a
 * large team (here "large" starts at 16 KiB) a reply in one thread writes
 * one line naming that thread's session to the team's record log; the team's
 * file is not rewritten.
 */
let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a captured reply in a large team', () => {
  it('appends its thread’s session to the log and leaves the team’s file alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-reply-cost-'));
    dirs.push(dataDir);
    const store = new FileStore(dataDir, { durable: false, logFromBytes: 16 * 1024 });
    h = await startHarness({ dataDir, store: () => store });
    const rootTs = await startInterview(h, 'The thread that talks');
    // Eighty other finished interviews make the team large.
    await store.update(HOME_TEAM, (doc) => {
      const mine = doc.sessions[0] as Session;
      for (let i = 0; i < 80; i++) {
        doc.sessions.push({
          ...mine,
          id: `other-${i}`,
          title: `Another interview ${i}`,
          threadTs: `1600000${String(i).padStart(3, '0')}.000100`,
          status: 'abandoned',
        });
      }
    });
    const file = join(dataDir, 'teams', `${HOME_TEAM}.json`);
    const log = `${file}.log`;
    const before = readFileSync(file);
    expect(before.length).toBeGreaterThan(16 * 1024);

    const ts = '1800000001.000100';
    const res = await h.event({
      type: 'message',
      channel: CHANNEL,
      user: BOB.id,
      text: 'We tried Linkerd last year &amp; it held up',
      ts,
      thread_ts: rootTs,
      event_ts: ts,
      channel_type: 'channel',
    });
    expect(res.status).toBe(200);
    await h.idle();

    expect(readFileSync(file)).toEqual(before);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1) as string) as { sessions?: Session[]; decisions?: unknown[] };
    expect(last.sessions?.map((s) => s.threadTs)).toEqual([rootTs]);
    expect(last.sessions?.[0]?.replies.map((r) => r.text)).toEqual(['We tried Linkerd last year & it held up']);
    expect(last.decisions).toBeUndefined();
    // The line is the thread's size, a small part of the team's.
    expect(Buffer.byteLength(lines.at(-1) as string)).toBeLessThan(statSync(file).size / 10);
    const again = await new FileStore(dataDir).read(HOME_TEAM);
    expect(again.sessions.find((s) => s.threadTs === rootTs)?.replies.map((r) => r.ts)).toEqual([ts]);
    expect(again.sessions).toHaveLength(81);
  });
});

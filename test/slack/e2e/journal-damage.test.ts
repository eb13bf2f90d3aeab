import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal } from '../../../src/store/journal.js';
import { ALICE, CHANNEL, type Harness, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A slash command as the receiver parsed it and the journal kept it. */
const commandBody = (text: string, trigger: string, channel: string) => ({
  token: 'deprecated-verification-token',
  team_id: HOME_TEAM,
  channel_id: channel,
  user_id: ALICE.id,
  command: '/mesh-help',
  text,
  api_app_id: 'A0MESH',
  response_url: 'http://127.0.0.1:9/unused',
  trigger_id: trigger,
});
const inLine = (id: string, body: object) =>
  JSON.stringify({ op: 'in', entry: { id, at: new Date().toISOString(), body } });

describe('a damaged intake journal at start-up (real app)', () => {
  it('one malformed line does not stop the replay: every good request around it is processed, and none is lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-journal-damage-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'journal'));
    const file = join(dataDir, 'journal', 'intake.jsonl');
    writeFileSync(
      file,
      `${[
        inLine('before', commandBody('start Replayed before', 'trigger-before', CHANNEL)),
        'null',
        '{"op":"in","entry":{"id":"broken"}}',
        inLine('after', commandBody('start Replayed after', 'trigger-after', 'C0SECOND')),
      ].join('\n')}\n`,
    );
    h = await startHarness({ dataDir });
    await h.idle();
    const sessions = (h.teamFile()?.sessions ?? []) as { title: string; channel: string }[];
    expect(sessions.map((s) => [s.title, s.channel]).sort()).toEqual([
      ['Replayed after', 'C0SECOND'],
      ['Replayed before', CHANNEL],
    ]);
    const roots = h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined);
    expect(roots.map((c) => c.params.channel).sort()).toEqual([CHANNEL, 'C0SECOND'].sort());
    // Both are marked done: nothing is left pending for the next start.
    expect(await new FileJournal(join(dataDir, 'journal')).pending()).toEqual([]);
  });
});

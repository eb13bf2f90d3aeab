import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/index.js';
import { FileJournal } from '../../src/store/journal.js';
import { emptyTeam } from '../../src/store/schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-modes-'));
  dirs.push(d);
  return d;
};
const mode = (path: string) => statSync(path).mode & 0o777;

describe('what teams said is readable by the bot’s own user only', () => {
  it('a fresh data folder gets a 0700 teams folder and 0600 team files', async () => {
    const dir = join(temp(), 'data');
    const store = new FileStore(dir, { durable: false });
    await store.update('T1', (doc) => {
      doc.seenEvents.push('Ev1');
    });
    expect(mode(join(dir, 'teams'))).toBe(0o700);
    expect(mode(join(dir, 'teams', 'T1.json'))).toBe(0o600);
  });

  it('an older folder (0755, files 0644) is tightened, and a rewritten file is 0600', async () => {
    const dir = temp();
    const teams = join(dir, 'teams');
    mkdirSync(teams, { mode: 0o755 });
    chmodSync(teams, 0o755);
    writeFileSync(join(teams, 'T1.json'), JSON.stringify(emptyTeam('T1')), { mode: 0o644 });
    chmodSync(join(teams, 'T1.json'), 0o644);
    const store = new FileStore(dir, { durable: false });
    await store.update('T1', (doc) => {
      doc.seenEvents.push('Ev1');
    });
    expect(mode(teams)).toBe(0o700);
    expect(mode(join(teams, 'T1.json'))).toBe(0o600);
  });

  it('the intake journal (request bodies) is 0700 / 0600, an older one included', async () => {
    const dir = join(temp(), 'journal');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'intake.jsonl'), '', { mode: 0o644 });
    chmodSync(join(dir, 'intake.jsonl'), 0o644);
    const journal = new FileJournal(dir, { durable: false });
    await journal.append({ body: { type: 'event_callback', event_id: 'Ev1' } });
    await journal.close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'intake.jsonl'))).toBe(0o600);
  });
});

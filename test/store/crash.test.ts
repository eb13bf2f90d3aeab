import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, TeamDoc } from '../../src/store/index.js';

const WRITER = new URL('./fixtures/writer.ts', import.meta.url).pathname;

describe('a crash in the middle of a stream of writes', () => {
  // Small teams are rewritten whole; from 4 KiB on, writes append their records to the team's log and compact it.
  it.each([
    ['whole files', 1_000_000_000],
    ['records appended to a log', 4096],
  ])('leaves every team parseable with every acknowledged write in it (%s)', async (_, logFrom) => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-crash-'));
    try {
      const args = ['--import', 'tsx', WRITER, dir, String(logFrom)];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      const acked = new Map<string, number>();
      let buffer = '';
      let total = 0;
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            const [, team, n] = line.split(' ');
            if (team && n) acked.set(team, Math.max(acked.get(team) ?? 0, Number(n)));
            total += 1;
          }
          if (total >= 150) {
            child.removeAllListeners('exit');
            child.kill('SIGKILL');
            child.on('exit', () => resolve());
          }
        });
      });
      expect(acked.size).toBe(4);
      const reader = new FileStore(dir);
      for (const [team, last] of acked) {
        // The file itself always parses; what the store reads (the file and its log) holds every acknowledged write.
        TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', `${team}.json`), 'utf8')));
        const doc = await reader.read(team);
        const numbers = doc.decisions.map((d) => d.number);
        expect(numbers.length).toBeGreaterThanOrEqual(last);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      }
      const report = await new FileStore(dir).check();
      expect(report.every((r) => r.ok)).toBe(true);
      expect(existsSync(join(dir, 'teams', 'TA.json.log'))).toBe(logFrom < 1_000_000_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

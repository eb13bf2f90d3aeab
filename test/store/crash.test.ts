import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, TeamDoc } from '../../src/store/index.js';

const WRITER = new URL('./fixtures/writer.ts', import.meta.url).pathname;

describe('a crash in the middle of a stream of writes', () => {
  it('leaves every team file parseable with every acknowledged write in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-crash-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
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
      for (const [team, last] of acked) {
        const doc = TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', `${team}.json`), 'utf8')));
        const numbers = doc.decisions.map((d) => d.number);
        expect(numbers.length).toBeGreaterThanOrEqual(last);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      }
      const report = await new FileStore(dir).check();
      expect(report.every((r) => r.ok)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

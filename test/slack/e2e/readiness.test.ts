import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, type Store } from '../../../src/store/index.js';
import { type Harness, startHarness } from '../../support/harness.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const get = async (hh: Harness, path: string) => {
  const res = await fetch(`${hh.url}${path}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('GET /readyz', () => {
  it('answers 200 without a signature while the store answers', async () => {
    h = await startHarness();
    expect(await get(h, '/readyz')).toEqual({ status: 200, body: { ok: true } });
  });

  it('answers 503 while the data folder cannot be written, liveness stays 200, and 200 again once it is repaired', async () => {
    const base = mkdtempSync(join(tmpdir(), 'mesh-readyz-'));
    dirs.push(base);
    const dataDir = join(base, 'data');
    // A file where the folder should be: no write can succeed, whoever runs the tests (root ignores modes).
    writeFileSync(dataDir, '');
    h = await startHarness({ dataDir });
    expect(await get(h, '/readyz')).toEqual({ status: 503, body: { ok: false, reason: 'store' } });
    expect((await get(h, '/healthz')).status).toBe(200);
    rmSync(dataDir);
    expect(await get(h, '/readyz')).toEqual({ status: 200, body: { ok: true } });
  });

  it('answers 503 from the moment stop() begins, while a running reminder round still finishes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-readyz-'));
    dirs.push(dataDir);
    const file = new FileStore(dataDir, { durable: false });
    // The reminder round at start lists teams; holding that call keeps stop() waiting for the round.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let listed!: () => void;
    const roundStarted = new Promise<void>((resolve) => {
      listed = resolve;
    });
    const store: Store = {
      read: (team) => file.read(team),
      update: (team, fn) => file.update(team, fn),
      teams: async () => {
        listed();
        await gate;
        return file.teams();
      },
      check: () => file.check(),
      ping: () => file.ping(),
      close: () => file.close(),
    };
    h = await startHarness({ dataDir, store: () => store });
    await roundStarted;
    expect((await get(h, '/readyz')).status).toBe(200);

    const stopping = h.mesh.stop();
    try {
      expect(await get(h, '/readyz')).toEqual({ status: 503, body: { ok: false, reason: 'draining' } });
      expect((await get(h, '/healthz')).status).toBe(200);
    } finally {
      release();
      await stopping;
    }
    await expect(fetch(`${h.url}/readyz`)).rejects.toThrow();
  });
});

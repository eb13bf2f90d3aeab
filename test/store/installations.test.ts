import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../src/store/index.js';
import { SealedInstallationStore, sealedFiles, TokenCipher } from '../../src/store/installations.js';
import { freshSchema } from '../support/pg.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-sealed-'));
  dirs.push(d);
  return d;
};

const workspaceInstall = (team: string): Installation =>
  ({
    team: { id: team },
    enterprise: undefined,
    user: { id: 'U1', token: `xoxp-user-${team}`, scopes: [] },
    bot: { token: `xoxb-bot-${team}`, scopes: ['chat:write'], id: 'B1', userId: 'U0BOT' },
    isEnterpriseInstall: false,
  }) as Installation;

describe('TokenCipher', () => {
  const key = randomBytes(32);

  it('reads keys given as 64 hex digits or base64, and nothing shorter', () => {
    expect(TokenCipher.parseKey(key.toString('hex'))).toEqual(key);
    expect(TokenCipher.parseKey(key.toString('base64'))).toEqual(key);
    expect(TokenCipher.parseKey('too-short')).toBeUndefined();
    expect(TokenCipher.parseKey(randomBytes(16).toString('hex'))).toBeUndefined();
  });

  it('opens what it sealed, and refuses another key, another record or a changed byte', () => {
    const c = new TokenCipher(key);
    const sealed = c.seal('xoxb-secret', 'T-T1');
    expect(sealed).not.toContain('xoxb-secret');
    expect(c.open(sealed, 'T-T1')).toBe('xoxb-secret');
    expect(() => new TokenCipher(randomBytes(32)).open(sealed, 'T-T1')).toThrow();
    expect(() => c.open(sealed, 'T-T2')).toThrow();
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3] ?? '', 'base64');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => c.open([...parts.slice(0, 3), body.toString('base64')].join(':'), 'T-T1')).toThrow();
  });
});

describe('SealedInstallationStore on files', () => {
  it('keeps each install sealed in a file only its owner can read, finds it, and deletes it', async () => {
    const dir = folder();
    const store = new SealedInstallationStore(sealedFiles(dir), new TokenCipher(randomBytes(32)));
    await store.storeInstallation(workspaceInstall('T1'));
    const files = readdirSync(dir);
    expect(files).toEqual(['T-T1.sealed']);
    expect(readFileSync(join(dir, 'T-T1.sealed'), 'utf8')).not.toContain('xoxb-bot-T1');
    const found = await store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(found.bot?.token).toBe('xoxb-bot-T1');
    await expect(
      store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/no installation/);
    await store.dropUserToken({ teamId: 'T1' });
    const kept = await store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(kept.user.token).toBeUndefined();
    expect(kept.bot?.token).toBe('xoxb-bot-T1');
    await store.deleteInstallation({ teamId: 'T1' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds the org-wide install for a workspace outside a request once a request from it was served', async () => {
    const store = new SealedInstallationStore(sealedFiles(folder()), new TokenCipher(randomBytes(32)));
    await store.storeInstallation({
      team: undefined,
      enterprise: { id: 'E0ORG' },
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: { token: 'xoxb-org', scopes: ['chat:write'], id: 'B1', userId: 'U0BOT' },
      isEnterpriseInstall: true,
    } as Installation);
    expect(await store.forWorkspace('T0WS1')).toBeUndefined();
    const served = await store.fetchInstallation({ teamId: 'T0WS1', enterpriseId: 'E0ORG', isEnterpriseInstall: true });
    expect(served.bot?.token).toBe('xoxb-org');
    expect((await store.forWorkspace('T0WS1'))?.bot?.token).toBe('xoxb-org');
    await store.deleteInstallation({ enterpriseId: 'E0ORG', isEnterpriseInstall: true });
    expect(await store.forWorkspace('T0WS1')).toBeUndefined();
  });
});

const orgInstall = (enterprise: string): Installation =>
  ({
    team: undefined,
    enterprise: { id: enterprise },
    user: { id: 'U1', token: undefined, scopes: [] },
    bot: { token: `xoxb-bot-${enterprise}`, scopes: ['chat:write'], id: 'B1', userId: 'U0BOT' },
    isEnterpriseInstall: true,
  }) as Installation;

describe('the workspaces an org-wide install serves', () => {
  const backends = [
    { name: 'files', open: async () => ({ records: sealedFiles(folder()), done: async () => undefined }) },
    {
      name: 'PostgreSQL',
      open: async () => {
        const schema = await freshSchema();
        const pgStore = new PgStore(schema.url);
        return {
          records: pgStore.sealedRecords(),
          done: async () => {
            await pgStore.close();
            await schema.drop();
          },
        };
      },
    },
  ];
  for (const backend of backends) {
    it(`lists only workspaces the org's install answered for, none once the org is gone (${backend.name})`, async () => {
      const { records, done } = await backend.open();
      try {
        const store = new SealedInstallationStore(records, new TokenCipher(randomBytes(32)));
        await store.storeInstallation(orgInstall('E1'));
        await store.storeInstallation(orgInstall('E2'));
        await store.storeInstallation(workspaceInstall('T9'));
        const served = (teamId: string, enterpriseId: string) =>
          store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: true });
        await served('T1', 'E1');
        await served('T2', 'E1');
        await served('T3', 'E2');
        // A workspace with its own install, in no org: answered by that install, not counted in any org.
        await store.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false });
        expect(await store.workspacesOf('E1')).toEqual(['T1', 'T2']);
        expect(await store.workspacesOf('E2')).toEqual(['T3']);
        expect(await store.workspacesOf('E3')).toEqual([]);
        await store.deleteInstallation({ isEnterpriseInstall: true, enterpriseId: 'E1' });
        expect(await store.workspacesOf('E1')).toEqual([]);
      } finally {
        await done();
      }
    });
  }
});

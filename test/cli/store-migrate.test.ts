import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { canonical, FileStore, PgStore } from '../../src/store/index.js';
import { SealedInstallationStore, sealedFiles, TokenCipher } from '../../src/store/installations.js';
import { firstDelivery } from '../../src/team/discussion.js';
import { freshSchema, type TestSchema } from '../support/pg.js';

const dirs: string[] = [];
const schemas: TestSchema[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const s of schemas.splice(0)) await s.drop();
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-migrate-'));
  dirs.push(dir);
  const schema = await freshSchema();
  schemas.push(schema);
  const answers = join(dir, 'answers.json');
  writeFileSync(answers, JSON.stringify({ clusters: 'multi-region', pains: ['one-workload-many-clusters'] }));
  const out: string[] = [];
  const err: string[] = [];
  const io = (env: NodeJS.ProcessEnv = {}): Io => ({
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data'), ...env },
    stdinIsTTY: false,
    now: () => new Date('2026-11-25T12:00:00Z'),
  });
  /** Two teams in the JSON store: T1 with two decisions and remembered events, local with one. */
  const seed = async () => {
    for (const team of ['T1', 'T1', 'local']) {
      expect(await run(['interview', '--answers', answers, '--team', team, '--accept'], io())).toBe(0);
    }
    const files = new FileStore(join(dir, 'data'));
    await files.update('T1', (doc) => {
      firstDelivery(doc, 'Ev1');
      firstDelivery(doc, 'Ev2');
    });
    await files.close();
  };
  const jsonDoc = async (team: string) => {
    const files = new FileStore(join(dir, 'data'));
    try {
      return await files.read(team);
    } finally {
      await files.close();
    }
  };
  const pgDoc = async (team: string) => {
    const pg = new PgStore(schema.url);
    try {
      return await pg.read(team);
    } finally {
      await pg.close();
    }
  };
  return { dir, url: schema.url, io, out, err, seed, jsonDoc, pgDoc };
}

describe('mesh-help store migrate', () => {
  it('copies every team into PostgreSQL, verifies it, and changes nothing when run again', async () => {
    const t = await setup();
    await t.seed();
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    expect(t.out).toContain('copied   T1  2 sessions, 2 decisions, 2 event ids');
    expect(t.out).toContain('copied   local  1 session, 1 decision, 0 event ids');
    expect(t.out.join('\n')).toMatch(/2 teams from .* 2 copied, 0 replaced, 0 already there, 0 with problems/);
    for (const team of ['T1', 'local']) expect(canonical(await t.pgDoc(team))).toBe(canonical(await t.jsonDoc(team)));

    t.out.length = 0;
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    expect(t.out.filter((l) => l.startsWith('same'))).toHaveLength(2);
    expect(t.out.join('\n')).toContain('0 copied, 0 replaced, 2 already there, 0 with problems');
  });

  it('leaves a team the bot changed in PostgreSQL alone, unless --replace', async () => {
    const t = await setup();
    await t.seed();
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    const pg = new PgStore(t.url);
    await pg.update('T1', (doc) => {
      doc.config.approvals = 3;
    });
    await pg.close();
    t.out.length = 0;
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(1);
    expect(t.out.join('\n')).toContain('DIFFERS  T1');
    expect((await t.pgDoc('T1')).config.approvals).toBe(3);

    expect(await run(['store', 'migrate', '--to', t.url, '--replace'], t.io())).toBe(0);
    expect(t.out.join('\n')).toContain('replaced T1');
    expect(canonical(await t.pgDoc('T1'))).toBe(canonical(await t.jsonDoc('T1')));
  });

  it('copies nothing while a team file is corrupt', async () => {
    const t = await setup();
    await t.seed();
    mkdirSync(join(t.dir, 'data', 'teams'), { recursive: true });
    writeFileSync(join(t.dir, 'data', 'teams', 'TBAD.json'), '{"schemaVersion": 1,');
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(1);
    expect(t.err.join('\n')).toMatch(/CORRUPT {2}TBAD[\s\S]*Nothing was copied/);
    const pg = new PgStore(t.url);
    expect(await pg.teams()).toEqual([]);
    await pg.close();
  });

  it('names a bad or unreachable --to without printing its password', async () => {
    const t = await setup();
    expect(await run(['store', 'migrate'], t.io())).toBe(2);
    expect(await run(['store', 'migrate', '--to', 'mysql://u:hunter2pw@db/x'], t.io())).toBe(2);
    expect(await run(['store', 'migrate', '--to', 'postgres://u:hunter2pw@127.0.0.1:1/x'], t.io())).toBe(1);
    const said = t.err.join('\n');
    expect(said).toContain('needs --to');
    expect(said).toContain('--to must be a PostgreSQL URL');
    expect(said).toContain('postgres://u@127.0.0.1:1/x');
    expect(said).not.toContain('hunter2pw');
  });

  it('serves the other commands from PostgreSQL once DATABASE_URL is set', async () => {
    const t = await setup();
    await t.seed();
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    rmSync(join(t.dir, 'data'), { recursive: true, force: true });
    t.out.length = 0;
    expect(await run(['decisions', '--team', 'T1', '--json'], t.io({ DATABASE_URL: t.url }))).toBe(0);
    expect(JSON.parse(t.out.join('\n')).map((d: { number: number }) => d.number)).toEqual([1, 2]);
    t.out.length = 0;
    expect(await run(['store', 'check'], t.io({ DATABASE_URL: t.url }))).toBe(0);
    expect(t.out.at(-1)).toBe('2 team files checked, 0 with problems.');
    expect(await run(['decisions'], t.io({ DATABASE_URL: 'http://u:hunter2pw@x/y' }))).toBe(2);
    expect(t.err.join('\n')).not.toContain('hunter2pw');
  });

  it('carries Slack installs across still sealed, so the bot reads them with the same key', async () => {
    const t = await setup();
    await t.seed();
    const cipher = new TokenCipher(randomBytes(32));
    const files = new SealedInstallationStore(sealedFiles(join(t.dir, 'data', 'installations')), cipher);
    await files.storeInstallation({
      team: { id: 'T1' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: { token: 'xoxb-installed-T1', scopes: ['chat:write'], id: 'B1', userId: 'U0BOT' },
      isEnterpriseInstall: false,
    } as Installation);
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    expect(await run(['store', 'migrate', '--to', t.url], t.io())).toBe(0);
    expect(t.out).toContain('1 Slack install copied, still sealed.');
    const pg = new PgStore(t.url);
    const there = new SealedInstallationStore(pg.sealedRecords(), cipher);
    const found = await there.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(found.bot?.token).toBe('xoxb-installed-T1');
    await pg.close();
  });
});

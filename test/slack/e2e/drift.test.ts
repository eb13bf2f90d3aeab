import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAdr } from '../../../src/adr/markdown.js';
import type { Flow } from '../../../src/engine/flow.js';
import { DEFAULT_FLOWS_DIR, getFlow } from '../../../src/engine/load.js';
import { PgStore, type TeamDoc } from '../../../src/store/index.js';
import { runInterview, startInterview, waitForCard } from '../../support/driver.js';
import { type Call, FakeSlack, type StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';
import { until } from '../../support/replicas.js';

/**
 * Issue #19's "Done when": a record accepted on today's catalogue; the bot
 * restarts on an edited copy of flows/ (MESH_HELP_FLOWS_DIR for the terminal)
 * and tells the record's thread once, however many replicas and restarts;
 * the card, the terminal and the MADR name the change; acknowledging clears
 * the marker; the revisit button opens an interview with the old answers.
 */
type Json = Record<string, unknown>;
const exec = promisify(execFile);
const BIN = new URL('../../../bin/mesh-help.js', import.meta.url).pathname;
const DECISIONS = 'C0DECISIONS';
const MARKER = 'Review: the basis changed';

/** One cluster, mTLS the pain: a service mesh with Istio (ambient) its first choice; nine questions. */
const MTLS_TEAM: Record<string, string | string[]> = {
  clusters: 'one',
  services: '10-49',
  pains: ['mtls'],
  regulated: 'no',
  existing_mesh: 'none',
  platform: 'self-managed',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A copy of flows/ with one edit made to one file's text (the catalogue as it reads next month). */
function editedFlows(file: string, edit: (text: string) => string): { dir: string; flow: Flow } {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-flows-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(DEFAULT_FLOWS_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return { dir, flow: getFlow(dir) };
}

/** Istio (ambient) is archived in the copy. */
const archivedIstio = () =>
  editedFlows('tools.yaml', (t) => t.replace(/(- id: istio-ambient\n(?:[ \t]+.*\n)*?[ \t]+status: )ga/, '$1preview'));
/** The mTLS rule weighs less in the copy: the same answers no longer reach a service mesh. */
const lighterMtlsRule = () =>
  editedFlows('rules.yaml', (t) => t.replace(/(- id: mtls-pain\n(?:[ \t]+.*\n)*?[ \t]+weight: )5/, '$11'));

const isDriftNotice = (c: Call) =>
  isPost(c) && (c.params.metadata as Json | undefined)?.event_type === 'mesh_help_drift';

/** Runs the interview and accepts it; resolves with its thread and the team's document. */
async function acceptedRecord(h: Harness, read: () => Promise<TeamDoc>): Promise<string> {
  const rootTs = await startInterview(h, 'Service-to-service security');
  await runInterview(h, rootTs, MTLS_TEAM);
  const card = await waitForCard(h);
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  await until(
    read,
    (d) => d.decisions[0]?.basis !== undefined && (d.decisions[0]?.cards?.length ?? 0) > 0,
    'the record',
  );
  await h.idle();
  return rootTs;
}

/** The record's decision card in its thread, as Slack shows it now. */
function cardOf(fake: FakeSlack, doc: TeamDoc): StoredMessage {
  const ref = doc.decisions[0]?.cards?.find((c) => c.channel === CHANNEL);
  const msg = ref && fake.message(ref.channel, ref.ts);
  if (!msg) throw new Error('decision card not stored');
  return msg;
}

async function driftCli(env: Json, ...args: string[]): Promise<Json[]> {
  const { stdout } = await exec('node', [BIN, 'decisions', '--drift', '--json', '--team', HOME_TEAM, ...args], {
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
  });
  return JSON.parse(stdout) as Json[];
}

const submitAck = (h: Harness, view: Json, who: Person, reason: string) =>
  h.interact({
    type: 'view_submission',
    team: { id: who.team },
    user: { id: who.id, team_id: who.team, username: 'bob' },
    api_app_id: 'A0MESH',
    view: {
      id: 'V9',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: { 'drift:reason': { 'drift:reason-input': { type: 'plain_text_input', value: reason } } } },
    },
  });

describe('living decisions', () => {
  it('a chosen tool’s status change is told once in the thread across two replicas and three restarts, and shows on the card, in the terminal and in the MADR', async () => {
    const schema: TestSchema = await freshSchema();
    cleanups.push(() => schema.drop());
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const reader = new PgStore(schema.url);
    cleanups.push(() => reader.close());
    const read = () => reader.read(HOME_TEAM);
    const started: Harness[] = [];
    cleanups.push(async () => {
      for (const r of started) await r.mesh.stop().catch(() => undefined);
    });
    const store = () => new PgStore(schema.url);

    const first = await startHarness({ fake, store });
    started.push(first);
    const rootTs = await acceptedRecord(first, read);
    await first.mesh.stop();
    await reader.update(HOME_TEAM, (d) => {
      d.config.decisionsChannel = DECISIONS;
    });
    expect(fake.calls.filter(isDriftNotice)).toHaveLength(0);

    // The catalogue moves on: both replicas start on it, then restart three times.
    const edited = archivedIstio();
    const options = { fake, store, flow: () => edited.flow };
    let replicas: Harness[] = await Promise.all([startHarness(options), startHarness(options)]);
    started.push(...replicas);
    await until(read, (d) => (d.decisions[0]?.driftNotified?.length ?? 0) > 0, 'the drift notice marked');
    for (let i = 0; i < 3; i++) {
      await Promise.all(replicas.map((r) => r.idle()));
      replicas = await Promise.all(replicas.map((r) => r.restart()));
      started.push(...replicas);
    }
    await Promise.all(replicas.map((r) => r.idle()));

    const notices = fake.calls.filter(isDriftNotice);
    expect(notices).toHaveLength(1);
    const notice = notices[0] as Call;
    expect(notice.params.thread_ts).toBe(rootTs);
    expect(notice.params.channel).toBe(CHANNEL);
    const text = textOf(notice.params as Json);
    expect(text).toContain(MARKER);
    expect(text).toContain('status changed from ga to preview');
    expect(text).toContain(edited.flow.toolById.get('istio-ambient')?.source ?? 'no source');
    // One line in the decisions channel, once.
    const lines = fake.calls.filter(
      (c) => isPost(c) && c.params.channel === DECISIONS && textOf(c.params as Json).includes(MARKER),
    );
    expect(lines).toHaveLength(1);

    const doc = await read();
    expect(textOf(cardOf(fake, doc) as unknown as Json)).toContain(MARKER);

    const cli = await driftCli({ DATABASE_URL: schema.url, MESH_HELP_FLOWS_DIR: edited.dir });
    expect(cli).toHaveLength(1);
    expect(cli[0]).toMatchObject({ number: 1, id: 'ADR-0001' });
    const drifts = (cli[0] as { drifts: Json[] }).drifts;
    expect(drifts).toContainEqual(
      expect.objectContaining({ kind: 'tool', tool: 'istio-ambient', field: 'status', from: 'ga', to: 'preview' }),
    );
    // The same store on today's flows/ shows no drift: the terminal reads the catalogue it is given.
    expect(await driftCli({ DATABASE_URL: schema.url, MESH_HELP_FLOWS_DIR: DEFAULT_FLOWS_DIR })).toEqual([]);

    const record = doc.decisions[0];
    if (!record) throw new Error('no record');
    const adr = renderAdr(record, { flow: edited.flow, decisions: doc.decisions }).content;
    const info = adr.slice(adr.indexOf('## More Information'));
    expect(info).toMatch(
      /- The basis changed since acceptance: Istio, ambient mode: status changed from ga to preview/,
    );
    expect(fake.violations).toEqual([]);
  }, 120_000);

  it('advice drift from a changed rule is told once; acknowledging clears the marker and is exported; the revisit opens prefilled', async () => {
    let h = await startHarness({});
    cleanups.push(() => h.close());
    const read = async () => (await import('../../../src/store/index.js')).TeamDoc.parse(h.teamFile());
    const rootTs = await acceptedRecord(h, read);

    const edited = lighterMtlsRule();
    const dataDir = h.dataDir;
    await h.mesh.stop();
    h = await startHarness({ dataDir, fake: h.fake, flow: () => edited.flow });
    await until(read, (d) => (d.decisions[0]?.driftNotified?.length ?? 0) > 0, 'the drift notice marked');
    await h.idle();
    h = await h.restart();
    await h.idle();
    const notices = h.fake.calls.filter(isDriftNotice);
    expect(notices).toHaveLength(1);
    expect(textOf((notices[0] as Call).params as Json)).toContain('instead of Service mesh');
    const cli = await driftCli({ MESH_HELP_DATA_DIR: dataDir, MESH_HELP_FLOWS_DIR: edited.dir });
    expect((cli[0] as { drifts: Json[] }).drifts).toContainEqual(
      expect.objectContaining({ kind: 'advice', primary: { from: 'service-mesh', to: 'plain-kubernetes' } }),
    );
    expect(textOf(cardOf(h.fake, await read()) as unknown as Json)).toContain(MARKER);
    const { stdout: human } = await exec('node', [BIN, 'decisions', '--drift', '--team', HOME_TEAM], {
      env: { ...process.env, MESH_HELP_DATA_DIR: dataDir, MESH_HELP_FLOWS_DIR: edited.dir },
    });
    expect(human).toMatch(
      /^ADR-0001 .*: review, the basis changed\n {2}- the same answers now recommend Plain Kubernetes/,
    );

    // "Still right for us": a modal asks why; the reason is kept, the marker goes, the MADR says so.
    const noticeMsg = h.fake.message(CHANNEL, (await read()).decisions[0]?.driftTs ?? '');
    if (!noticeMsg) throw new Error('notice not stored');
    await h.interact(actionPayload(h.fake, noticeMsg, 'drift:acknowledge', BOB));
    const opened = await h.fake.waitFor((c) => c.method === 'views.open', 5000, 'the acknowledgement modal');
    const view = opened.params.view as Json;
    const empty = await submitAck(h, view, BOB, '   ');
    expect(JSON.stringify(await empty.json())).toContain('still holds');
    expect((await read()).decisions[0]?.driftAcks).toBeUndefined();
    await submitAck(h, view, BOB, 'Compliance still asks for mTLS everywhere <b>');
    await until(read, (d) => (d.decisions[0]?.driftAcks?.length ?? 0) > 0, 'the acknowledgement');
    await h.idle();
    const doc = await read();
    expect(doc.decisions[0]?.driftAcks?.[0]).toMatchObject({
      by: BOB.id,
      reason: 'Compliance still asks for mTLS everywhere <b>',
    });
    expect(textOf(cardOf(h.fake, doc) as unknown as Json)).not.toContain(MARKER);
    const note = h.fake.calls.find(
      (c) => isPost(c) && c.params.thread_ts === rootTs && textOf(c.params as Json).includes('acknowledged'),
    );
    expect(textOf(note?.params as Json)).toContain('&lt;b&gt;');
    const record = doc.decisions[0];
    if (!record) throw new Error('no record');
    const adr = renderAdr(record, { flow: edited.flow, decisions: doc.decisions }).content;
    expect(adr).toMatch(
      /- The basis changed since acceptance: .*Acknowledged by .* still right for us, because Compliance still asks for mTLS everywhere/,
    );
    expect(await driftCli({ MESH_HELP_DATA_DIR: dataDir, MESH_HELP_FLOWS_DIR: edited.dir })).toEqual([]);
    expect(
      (await driftCli({ MESH_HELP_DATA_DIR: dataDir, MESH_HELP_FLOWS_DIR: edited.dir }, '--all'))[0],
    ).toMatchObject({
      number: 1,
    });

    // "Start a revisit": a new interview in the channel, every old answer filled in, opening at its recommendation.
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, noticeMsg, 'drift:revisit', BOB));
    await h.fake.waitFor(
      (c) =>
        c.seq > before &&
        isPost(c) &&
        typeof c.params.thread_ts === 'string' &&
        JSON.stringify(c.params.blocks ?? []).includes('decision:accept'),
      5000,
      'the revisit’s recommendation card',
    );
    await h.idle();
    const revisit = (await read()).sessions.find((s) => s.revisits === 1);
    expect(revisit?.answers).toEqual(MTLS_TEAM);
    expect(revisit?.status).toBe('complete');
    expect(revisit?.recommendation?.primary).toBe('plain-kubernetes');
    expect(h.fake.violations).toEqual([]);
  }, 60_000);

  it('a notice whose post failed is posted by the next round, once, without waiting a day or a restart', async () => {
    let h = await startHarness({});
    cleanups.push(() => h.close());
    const read = async () => (await import('../../../src/store/index.js')).TeamDoc.parse(h.teamFile());
    await acceptedRecord(h, read);
    const edited = archivedIstio();
    await h.mesh.stop();
    h.fake.failNextMatching(
      'chat.postMessage',
      (p) => (p.metadata as Json | undefined)?.event_type === 'mesh_help_drift',
      'internal_error',
    );
    h = await startHarness({ dataDir: h.dataDir, fake: h.fake, flow: () => edited.flow, reminderIntervalMs: 100 });
    await until(read, (d) => (d.decisions[0]?.driftNotified?.length ?? 0) > 0, 'the drift notice marked', 10_000);
    await h.idle();
    const doc = await read();
    expect(doc.decisions[0]?.driftClaimedAt).toBeUndefined();
    // Two attempts were made (the first refused), and exactly one notice is in the thread.
    expect(h.fake.calls.filter(isDriftNotice)).toHaveLength(2);
    const stored = [...h.fake.messages.values()].filter(
      (m) => (m.metadata as Json | undefined)?.event_type === 'mesh_help_drift',
    );
    expect(stored).toHaveLength(1);
  }, 60_000);
});

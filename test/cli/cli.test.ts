import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { FileStore } from '../../src/store/index.js';
import { decodePng } from '../support/png.js';

const exec = promisify(execFile);
const BIN = new URL('../../bin/mesh-help.js', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(answers?: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-cli-'));
  dirs.push(dir);
  const file = join(dir, 'answers.json');
  if (answers !== undefined) writeFileSync(file, typeof answers === 'string' ? answers : JSON.stringify(answers));
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data') },
    stdinIsTTY: false,
    now: () => new Date('2026-11-25T12:00:00Z'),
    osUser: () => 'ada',
  };
  return { dir, file, io, out, err };
}

describe('mesh-help recommend', () => {
  it('prints the contract JSON for an answers file', async () => {
    const t = setup({ clusters: 'multi-region', pains: ['one-workload-many-clusters'] });
    expect(await run(['recommend', '--answers', t.file, '--json'], t.io)).toBe(0);
    const json = JSON.parse(t.out.join('\n'));
    expect(Object.keys(json).sort()).toEqual([
      'checklist',
      'complements',
      'notNow',
      'primary',
      'reasons',
      'sensitivity',
      'tools',
      'warnings',
    ]);
    expect(json.primary).toBe('federation');
  });

  it('says what one answer would change, as contract v3 sensitivity in JSON and in the terminal', async () => {
    const answers = {
      clusters: 'multi-region',
      cni: 'calico',
      network: 'flat',
      pains: ['region-failover'],
      traffic: 'internal',
      data: 'replicated',
      ops: 'platform-team',
    };
    const t = setup(answers);
    expect(await run(['recommend', '--answers', t.file, '--json'], t.io)).toBe(0);
    const json = JSON.parse(t.out.join('\n'));
    expect(json.primary).toBe('cluster-mesh');
    expect(json.sensitivity).toContainEqual(
      expect.objectContaining({
        question: 'ops',
        answer: 'platform-team',
        alternative: 'none',
        primary: 'plain-kubernetes',
      }),
    );
    const plain = setup(answers);
    expect(await run(['recommend', '--answers', plain.file], plain.io)).toBe(0);
    const text = plain.out.join('\n');
    expect(text).toContain('What would change this:');
    expect(text.replace(/\s+/g, ' ')).toMatch(/answered “Nobody yet” instead of “A platform team that owns it”/);
  });

  it.each([
    [{ ops: 'sre' }, /"ops".*platform-team, part-time, none/],
    [{ cloud: 'aws' }, /unknown question "cloud".*clusters/],
    [{ pains: ['mtls', 'dns'] }, /"dns" is not an option of "pains".*flaky-calls/],
    [{ pains: 'mtls' }, /"pains" takes a list.*allowed options for "pains": flaky-calls, mtls/],
    [{ other_workloads: 'vms' }, /"other_workloads" takes a list.*windows-nodes, vms, none/],
    [{ platform: 'digitalocean' }, /"platform".*self-managed, eks, gke, aks, openshift, mixed/],
    [{ network: 'vpn' }, /"network".*flat, overlapping, gateways-only, unknown/],
    [{ fleet: 600 }, /"fleet".*2-5, 6-50, 51-plus/],
    ['{"clusters": ', /not valid JSON/],
    [['one'], /JSON object/],
  ])('exits 2 with nothing on stdout for a bad file (%j)', async (answers, message) => {
    const t = setup(answers);
    expect(await run(['recommend', '--answers', t.file, '--json'], t.io)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('\n')).toMatch(message);
  });

  it('draws the recommended topology into --diagram out.svg and out.png, with JSON alone on stdout', async () => {
    const t = setup({ clusters: 'multi-region', pains: ['one-workload-many-clusters'], ops: 'platform-team' });
    const svg = join(t.dir, 'out.svg');
    const png = join(t.dir, 'out.png');
    expect(await run(['recommend', '--answers', t.file, '--json', '--diagram', svg], t.io)).toBe(0);
    expect(JSON.parse(t.out.join('\n')).primary).toBe('federation');
    const drawn = readFileSync(svg, 'utf8');
    expect(drawn).toMatch(/^<\?xml|^<svg|<!DOCTYPE svg/);
    expect(drawn).toContain('Argo CD ApplicationSet');
    expect(drawn.match(/<title>cluster_region_\d<\/title>/g)).toHaveLength(2);
    expect(t.err.join('\n')).toMatch(
      /Wrote the recommended topology to .*out\.svg\. Recommended topology: 2 to 5 clusters in two regions/,
    );
    expect(await run(['recommend', '--answers', t.file, '--diagram', png], t.io)).toBe(0);
    const decoded = decodePng(readFileSync(png));
    expect(decoded.width).toBeGreaterThan(300);
  });

  it('refuses a --diagram file that is neither .svg nor .png before writing anything (exit 2)', async () => {
    const t = setup({ clusters: 'one' });
    const target = join(t.dir, 'out.jpg');
    expect(await run(['recommend', '--answers', t.file, '--diagram', target], t.io)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('\n')).toMatch(/--diagram writes an \.svg or a \.png file/);
    expect(existsSync(target)).toBe(false);
  });

  it('exits 1 with the reason when the diagram cannot be written', async () => {
    const t = setup({ clusters: 'one' });
    expect(await run(['recommend', '--answers', t.file, '--diagram', join(t.dir, 'no', 'such', 'dir.svg')], t.io)).toBe(
      1,
    );
    expect(t.err.join('\n')).toMatch(/cannot write .*dir\.svg: ENOENT/);
  });

  it('exits 2 when the file is missing or --answers is not given', async () => {
    const t = setup();
    expect(await run(['recommend', '--answers', join(t.dir, 'nope.json')], t.io)).toBe(2);
    expect(await run(['recommend'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/cannot read answers file|needs --answers/);
  });
});

describe('mesh-help interview --answers', () => {
  it('saves the session and a proposed decision for the local team', async () => {
    // A team on Cilium Service Mesh: the only team the advice shows its avoid to (advice v3).
    const t = setup({
      clusters: 'one',
      pains: ['mtls', 'flaky-calls'],
      regulated: 'yes',
      existing_mesh: 'cilium-service-mesh',
    });
    expect(await run(['interview', '--answers', t.file], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/Recommendation: Service mesh/);
    expect(t.out.join('\n')).toMatch(/Saved ADR-0001 .* as proposed for team local/);
    const doc = await new FileStore(join(t.dir, 'data')).read('local');
    expect(doc.decisions[0]).toMatchObject({ number: 1, status: 'proposed', chosen: ['service-mesh'] });
    expect(doc.sessions[0]).toMatchObject({ status: 'decided', decisionNumber: 1 });
    expect(doc.sessions[0]?.answers).toMatchObject({ services: 'under-10', regulated: 'yes' });
    // The terminal shows the tool level and the readiness checklist, and the stored record keeps both.
    const shown = t.out.join('\n');
    expect(shown).toMatch(/Tools:\n {2}Service mesh:\n {4}first choice: Istio, ambient mode \(GA, checked 2026-12\)/);
    // Wrapped within 80 columns now, so the words may break across lines.
    expect(shown).toMatch(/avoid: Cilium Service Mesh \(GA, checked 2026-11\):\s+Its\s+mutual\s+authentication/);
    expect(shown).toMatch(/Before the first cluster changes:\n {2}\[ \] /);
    expect(doc.decisions[0]?.recommendation.tools.length).toBeGreaterThan(0);
    expect(doc.decisions[0]?.recommendation.checklist.length).toBeGreaterThan(0);
  });

  it('--accept records it accepted with a revisit date, and --revisits supersedes the earlier record', async () => {
    const t = setup({ clusters: 'one' });
    expect(
      await run(['interview', '--answers', t.file, '--accept', '--team', 'T42', '--title', 'Stay plain'], t.io),
    ).toBe(0);
    expect(await run(['interview', '--answers', t.file, '--accept', '--team', 'T42', '--revisits', '1'], t.io)).toBe(0);
    const doc = await new FileStore(join(t.dir, 'data')).read('T42');
    expect(doc.decisions.map((d) => [d.number, d.status])).toEqual([
      [1, 'superseded'],
      [2, 'accepted'],
    ]);
    expect(doc.decisions[0]).toMatchObject({ title: 'Stay plain', supersededBy: 2 });
    // Without --by the decision-maker is the OS user, not the word terminal (it was left unnamed before).
    expect(doc.decisions[1]).toMatchObject({ createdBy: 'ada', decidedByName: 'ada' });
    // The supersede in the old record's history credits the person who superseded it.
    expect(doc.decisions[0]?.history.at(-1)).toMatchObject({ to: 'superseded', by: 'ada', byName: 'ada' });
    expect(doc.decisions[1]).toMatchObject({ supersedes: 1, revisitOn: expect.stringMatching(/^2027-/) });
  });

  it('--by names the decision-maker that the ADR lists, instead of the word terminal', async () => {
    const t = setup({ clusters: 'one' });
    expect(await run(['interview', '--answers', t.file, '--accept', '--by', 'Alice Doe'], t.io)).toBe(0);
    const doc = await new FileStore(join(t.dir, 'data')).read('local');
    expect(doc.decisions[0]).toMatchObject({ createdBy: 'Alice Doe', decidedByName: 'Alice Doe' });
  });

  it('refuses --revisits of a record that does not exist and saves nothing', async () => {
    const t = setup({ clusters: 'one' });
    expect(await run(['interview', '--answers', t.file, '--revisits', '7'], t.io)).toBe(2);
    expect((await new FileStore(join(t.dir, 'data')).read('local')).decisions).toEqual([]);
  });

  it('refuses an unsafe team id', async () => {
    const t = setup({});
    expect(await run(['interview', '--answers', t.file, '--team', '../x'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/--team/);
  });

  it('without a terminal and without --answers it explains instead of hanging', async () => {
    const t = setup();
    expect(await run(['interview'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/not a terminal.*--answers/);
  });
});

describe('mesh-help compare and decisions', () => {
  it('compares named patterns and refuses unknown ones', async () => {
    const t = setup();
    expect(await run(['compare', 'service-mesh', 'cluster-mesh'], t.io)).toBe(0);
    const table = t.out.join('\n');
    expect(table).toMatch(/Service mesh/);
    expect(table).toMatch(/Cluster mesh/);
    expect(table).not.toMatch(/Federation/);
    expect(table).toMatch(/Istio, ambient mode \(GA,/);
    expect(table).toMatch(/AWS App Mesh \(service ended,/);
    expect(table).toMatch(/checked 2026-11/);
    expect(await run(['compare', 'istio'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/unknown pattern "istio"/);
  });

  it('lists the decision log and prints it as JSON', async () => {
    const t = setup({ clusters: 'one' });
    await run(['interview', '--answers', t.file, '--accept'], t.io);
    t.out.length = 0;
    expect(await run(['decisions'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/ADR-0001\s+accepted\s+2026-11-25/);
    t.out.length = 0;
    expect(await run(['decisions', '--json'], t.io)).toBe(0);
    expect(JSON.parse(t.out.join('\n'))[0].number).toBe(1);
  });

  it('store check reports a corrupt team file and exits 1', async () => {
    const t = setup({ clusters: 'one' });
    await run(['interview', '--answers', t.file], t.io);
    writeFileSync(join(t.dir, 'data', 'teams', 'broken.json'), '[');
    t.out.length = 0;
    expect(await run(['store', 'check'], t.io)).toBe(1);
    expect(t.out.join('\n')).toMatch(/CORRUPT\s+broken/);
    expect(t.out.join('\n')).toMatch(/ok\s+local/);
  });
});

describe('the mesh-help bin as a process', () => {
  it('runs recommend through npx-style bin with exit 2 and an empty stdout on a bad file', async () => {
    const t = setup({ deploys: 'hourly' });
    const failed = await exec('node', [BIN, 'recommend', '--answers', t.file, '--json']).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/"deploys".*daily, weekly, monthly/);
  });

  it('npm start without Slack credentials says so in one line and does not hang without a terminal', async () => {
    const t = setup();
    const env: NodeJS.ProcessEnv = { ...process.env, MESH_HELP_DATA_DIR: join(t.dir, 'data') };
    delete env.SLACK_BOT_TOKEN;
    const failed = await exec('node', [BIN, 'start'], { env, timeout: 15_000 }).catch((e) => e);
    expect(failed.code).toBe(2);
    const lines = failed.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/No Slack credentials found.*runs locally.*README/);
    expect(failed.stderr).toMatch(/not a terminal/);
  });
});

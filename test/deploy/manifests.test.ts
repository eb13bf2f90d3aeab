import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { type IPodDisruptionBudget, PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  type IContainer,
  type IPersistentVolumeClaim,
  type IProbe,
  type IService,
  PersistentVolumeClaim,
  Service,
} from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { type Harness, startHarness } from '../support/harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const VARIANTS = ['postgres', 'single'] as const;
type Variant = (typeof VARIANTS)[number];

/** Every kind the manifests may use, validated against Kubernetes' OpenAPI schema by kubernetes-models. */
const SCHEMAS: Record<string, (doc: unknown) => void> = {
  'apps/v1 Deployment': (doc) => new Deployment(doc as IDeployment).validate(),
  'v1 Service': (doc) => new Service(doc as IService).validate(),
  'policy/v1 PodDisruptionBudget': (doc) => new PodDisruptionBudget(doc as IPodDisruptionBudget).validate(),
  'v1 PersistentVolumeClaim': (doc) => new PersistentVolumeClaim(doc as IPersistentVolumeClaim).validate(),
};

/** Variables the manifests may set before the code that reads them is merged (issue 11's PostgreSQL store). */
const READ_ONCE_MERGED = new Set(['DATABASE_URL']);
/** Stand-ins for the values Secrets hold, shaped as config.ts expects them. */
const SECRET_STAND_INS: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-stand-in',
  SLACK_SIGNING_SECRET: 'stand-in-signing-secret',
  SLACK_APP_TOKEN: 'xapp-stand-in',
  DATABASE_URL: 'postgres://mesh:stand-in@db:5432/mesh',
};
/** Which optional Secret keys a person creates for each way of reaching Slack (README "Run it on Kubernetes"). */
const MODES = { http: ['SLACK_SIGNING_SECRET'], socket: ['SLACK_APP_TOKEN'] } as const;

type K8sDoc = { apiVersion?: string; kind?: string; metadata?: { name?: string } };
type Manifests = { files: string[]; resources: string[]; docs: K8sDoc[] };

function load(variant: Variant): Manifests {
  const dir = join(ROOT, 'deploy', variant);
  const kustomization = parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
  const docs = files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`deploy/${variant}/${f}: ${d.errors[0]?.message}`);
      return d.toJS() as K8sDoc;
    }),
  );
  return { files, resources: kustomization.resources ?? [], docs };
}

const ofKind = <T>(m: Manifests, kind: string): T[] => m.docs.filter((d) => d.kind === kind) as T[];
const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
};
const deploymentOf = (m: Manifests) => only(ofKind<IDeployment>(m, 'Deployment'), 'one Deployment');
const containerOf = (m: Manifests): IContainer =>
  only(deploymentOf(m).spec?.template.spec?.containers ?? [], 'one container');

/** The container port a probe targets, by name or number. */
function probePort(c: IContainer, probe: IProbe | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

/** The environment the container gets when its Secrets hold the required keys and `optional` ones. */
function environmentOf(c: IContainer, optional: readonly string[] = MODES.http): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const e of c.env ?? []) {
    const fromSecret = e.valueFrom?.secretKeyRef;
    if (fromSecret && (!fromSecret.optional || optional.includes(e.name))) env[e.name] = SECRET_STAND_INS[e.name];
    else if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

const sourceText = (dir: string): string =>
  readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? sourceText(join(dir, e.name)) : readFileSync(join(dir, e.name), 'utf8')))
    .join('\n');
const SRC = sourceText(join(ROOT, 'src'));

describe.each(VARIANTS)('deploy/%s', (variant) => {
  const m = load(variant);

  it('lists every manifest in kustomization.yaml, and every document passes its Kubernetes schema', () => {
    expect([...m.resources].sort()).toEqual([...m.files].sort());
    expect(m.docs.length).toBeGreaterThanOrEqual(3);
    for (const doc of m.docs) {
      const key = `${doc.apiVersion} ${doc.kind}`;
      const validate = SCHEMAS[key];
      expect(validate, `${key} has no schema in this test; add it to SCHEMAS`).toBeDefined();
      expect(() => validate?.(doc), `${key} ${doc.metadata?.name}`).not.toThrow();
    }
  });

  it('probes /healthz for liveness and /readyz for readiness on the port the app listens on (PORT)', () => {
    const c = containerOf(m);
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    const port = loadConfig(environmentOf(c)).port;
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) expect(probePort(c, probe)).toBe(port);
  });

  it('runs as a non-root user on a read-only root filesystem, with requests and limits', () => {
    const pod = deploymentOf(m).spec?.template.spec;
    const c = containerOf(m);
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
    });
    expect(c.resources?.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(c.resources?.limits).toMatchObject({ memory: expect.anything() });
  });

  it('gives the container room above the heap limit that npm start and the image both set', () => {
    const heapOf = (text: string) => Number(/--max-old-space-size=(\d+)/.exec(text)?.[1]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const heap = heapOf(pkg.scripts.start);
    expect(heap).toBeGreaterThan(0);
    expect(heapOf(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))).toBe(heap);
    const mi = (q: unknown) => Number(/^(\d+)Mi$/.exec(String(q))?.[1]);
    const c = containerOf(m);
    // Above the heap: the young generation, code, and the encoded records the store keeps outside the heap.
    expect(mi(c.resources?.limits?.memory)).toBeGreaterThanOrEqual(heap + 160);
    expect(mi(c.resources?.requests?.memory)).toBeGreaterThanOrEqual(heap);
  });

  it('takes tokens, secrets and the database URL from Secrets by reference, and sets only variables the code reads', () => {
    const env = containerOf(m).env ?? [];
    for (const e of env.filter((x) => /TOKEN|SECRET|DATABASE_URL/.test(x.name))) {
      expect(e.value, `${e.name} must not be written into the manifest`).toBeUndefined();
      expect(e.valueFrom?.secretKeyRef?.name, `${e.name} comes from a Secret`).toBeTruthy();
    }
    expect(env.find((e) => e.name === 'SLACK_BOT_TOKEN')?.valueFrom?.secretKeyRef?.optional).not.toBe(true);
    for (const e of env) {
      const read = new RegExp(`\\b${e.name}\\b`).test(SRC) || READ_ONCE_MERGED.has(e.name);
      expect(read, `${e.name} is not read anywhere in src/`).toBe(true);
    }
    // With the Secret holding the signing secret it runs over HTTP, with the app token in Socket Mode.
    expect(loadConfig(environmentOf(containerOf(m), MODES.http)).mode).toBe('http');
    expect(loadConfig(environmentOf(containerOf(m), MODES.socket)).mode).toBe('socket');
  });

  it('selects its pods with the Service, which targets the container port the probes use', () => {
    const d = deploymentOf(m);
    const labels = d.spec?.template.metadata?.labels ?? {};
    expect(labels).toMatchObject(d.spec?.selector.matchLabels ?? { missing: true });
    const svc = only(ofKind<IService>(m, 'Service'), 'one Service');
    expect(labels).toMatchObject(svc.spec?.selector ?? { missing: true });
    const target = svc.spec?.ports?.[0]?.targetPort;
    const c = containerOf(m);
    expect(c.ports?.some((p) => p.name === target || p.containerPort === target)).toBe(true);
    expect(probePort(c, { httpGet: { path: '/', port: target ?? 0 } })).toBe(probePort(c, c.readinessProbe));
  });
});

describe('deploy/postgres', () => {
  const m = load('postgres');

  it('runs two replicas on DATABASE_URL from a Secret, rolled one at a time, never both disrupted', () => {
    const d = deploymentOf(m);
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
    const url = containerOf(m).env?.find((e) => e.name === 'DATABASE_URL');
    expect(url?.valueFrom?.secretKeyRef).toMatchObject({ name: expect.any(String), key: 'DATABASE_URL' });
    expect(url?.valueFrom?.secretKeyRef?.optional).not.toBe(true);
    const pdb = only(ofKind<IPodDisruptionBudget>(m, 'PodDisruptionBudget'), 'one PodDisruptionBudget');
    expect(pdb.spec?.minAvailable).toBe(1);
    expect(d.spec?.template.metadata?.labels).toMatchObject(pdb.spec?.selector?.matchLabels ?? { missing: true });
  });
});

describe('deploy/single', () => {
  const m = load('single');

  it('runs one replica, replaced (never doubled) on update, with the JSON store on a claimed volume', () => {
    const d = deploymentOf(m);
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.strategy?.type).toBe('Recreate');
    expect(ofKind(m, 'PodDisruptionBudget')).toEqual([]);
    const claim = only(ofKind<IPersistentVolumeClaim>(m, 'PersistentVolumeClaim'), 'one PersistentVolumeClaim');
    const volume = d.spec?.template.spec?.volumes?.find(
      (v) => v.persistentVolumeClaim?.claimName === claim.metadata?.name,
    );
    expect(volume, 'a pod volume for the claim').toBeDefined();
    const c = containerOf(m);
    const mount = c.volumeMounts?.find((v) => v.name === volume?.name);
    expect(mount?.readOnly).not.toBe(true);
    expect(loadConfig(environmentOf(c)).dataDir).toBe(mount?.mountPath);
    expect(d.spec?.template.spec?.securityContext?.fsGroup).toBeDefined();
  });
});

describe('the probe paths', () => {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('are routes the real app answers 200 on while healthy', async () => {
    const paths = new Set(
      VARIANTS.flatMap((v) => {
        const c = containerOf(load(v));
        return [c.livenessProbe, c.readinessProbe, c.startupProbe].map((p) => p?.httpGet?.path ?? '(none)');
      }),
    );
    expect([...paths].sort()).toEqual(['/healthz', '/readyz']);
    for (const path of paths) expect((await fetch(`${h?.url}${path}`)).status, path).toBe(200);
  });
});

/** The Dockerfile's stages: name and instructions (continuation lines joined, comments dropped). */
function dockerStages(text: string): { name: string; lines: string[] }[] {
  const stages: { name: string; lines: string[] }[] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe('the Dockerfile', () => {
  const stages = dockerStages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1);
  const build = stages[0];
  const instr = (lines: string[] | undefined, word: string) =>
    (lines ?? []).filter((l) => l.toUpperCase().startsWith(`${word} `));

  it('builds in a stage with dev dependencies and runs the built output as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(instr(build?.lines, 'RUN').join('\n')).toMatch(/npm ci[\s\S]*npm run build/);
    const run = instr(runtime?.lines, 'RUN').join('\n');
    expect(run).toMatch(/npm ci\b.*--omit=dev/);
    expect(instr(runtime?.lines, 'COPY').join('\n')).toContain(`--from=${build?.name} /app/dist`);
    const user = instr(runtime?.lines, 'USER').at(-1)?.slice('USER '.length).split(':')[0];
    expect(user, 'the runtime stage sets USER').toBeDefined();
    expect(user).toMatch(/^\d+$/); // numeric, so runAsNonRoot can check it
    expect(Number(user)).toBeGreaterThan(0);
    const cmd = instr(runtime?.lines, 'CMD').at(-1)?.slice('CMD '.length) ?? '[]';
    const argv = JSON.parse(cmd) as string[];
    expect(argv.join(' ')).toMatch(/^node .*bin\/mesh-help\.js start$|^npm start$/);
  });

  it('keeps the data folder on a volume at the path MESH_HELP_DATA_DIR names, and listens where the manifests probe', () => {
    const env = Object.fromEntries(
      instr(runtime?.lines, 'ENV').flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((x) => [x[1], x[2]])),
    );
    expect(instr(runtime?.lines, 'VOLUME').join(' ')).toContain(`"${env.MESH_HELP_DATA_DIR}"`);
    expect(loadConfig({ ...env, ...SECRET_STAND_INS }).dataDir).toBe(env.MESH_HELP_DATA_DIR);
    const port = loadConfig({ ...env, ...SECRET_STAND_INS }).port;
    expect(instr(runtime?.lines, 'EXPOSE').join(' ')).toContain(String(port));
    for (const v of VARIANTS) expect(probePort(containerOf(load(v)), containerOf(load(v)).readinessProbe)).toBe(port);
  });

  it('sends only what the image needs to the build (.dockerignore ignores everything else)', () => {
    const rules = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    expect(rules.filter((r) => r.startsWith('!')).sort()).toEqual(
      [
        '!bin/',
        '!flows/',
        '!package-lock.json',
        '!package.json',
        '!src/',
        '!tsconfig.build.json',
        '!tsconfig.json',
      ].sort(),
    );
  });
});

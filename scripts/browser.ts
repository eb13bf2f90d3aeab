// Finds a headless Chromium and drives it over the DevTools protocol, for the HTML export's browser tests and for
// scripts that take screenshots. A system browser is used when there is one ($CHROMIUM, then PATH); otherwise the
// one the npm package @sparticuz/chromium ships (with the NSS libraries it needs), so `npm ci` is enough.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

/** A Chromium to start: its binary, the environment it needs on top of ours, and where it came from. */
export type ChromiumBinary = { path: string; env: Record<string, string>; source: 'CHROMIUM' | 'PATH' | 'npm' };

const NPM_PACKAGE = '@sparticuz/chromium';
const HOW_TO = `run \`npm ci\` (it installs ${NPM_PACKAGE}), install Chromium (\`apt-get install -y chromium\`), or set CHROMIUM=/path/to/chrome.`;

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The system Chromium: $CHROMIUM (which must be executable), else the first of the usual names on PATH; or null. */
export function findSystemChromium(env: NodeJS.ProcessEnv = process.env): ChromiumBinary | null {
  if (env.CHROMIUM) {
    if (executable(env.CHROMIUM)) return { path: env.CHROMIUM, env: {}, source: 'CHROMIUM' };
    throw new Error(
      `CHROMIUM=${env.CHROMIUM} is not an executable file. Unset it to use the one from npm, or ${HOW_TO}`,
    );
  }
  const dirs = (env.PATH ?? '').split(':').filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const hit = dirs.map((d) => join(d, name)).find(executable);
    if (hit) return { path: hit, env: {}, source: 'PATH' };
  }
  return null;
}

/** The Chromium to use: the system's when there is one, else the npm package's (unpacked on first use). */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumBinary> {
  return findSystemChromium(env) ?? (await npmChromium(env));
}

/**
 * Unpacks @sparticuz/chromium's Brotli files once per version into the temp folder: the binary, the NSS libraries
 * (its al2023 archive; Debian's slim images lack them) and a font. The folder is built aside and renamed into place,
 * so a run that is killed half-way, or two that start together, never leave a half-written browser behind.
 */
async function npmChromium(env: NodeJS.ProcessEnv): Promise<ChromiumBinary> {
  let pkgDir: string;
  try {
    pkgDir = join(dirname(createRequire(import.meta.url).resolve(NPM_PACKAGE)), '..', '..');
  } catch {
    throw new Error(`No Chromium was found and ${NPM_PACKAGE} is not installed: ${HOW_TO}`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`No Chromium was found, and ${NPM_PACKAGE} ships one for Linux x64 only: ${HOW_TO}`);
  }
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `mesh-help-chromium-${version}`);
  const result = (): ChromiumBinary => ({
    path: join(home, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(home, 'lib'), env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(home, 'fonts.conf'),
    },
    source: 'npm',
  });
  if (existsSync(join(home, 'chromium'))) return result();
  const bin = join(pkgDir, 'bin');
  const building = mkdtempSync(`${home}.part-`);
  try {
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(building, 'chromium'), { mode: 0o755 }),
    );
    untarBrotli(join(bin, 'al2023.tar.br'), building); // lib/: libnss3, libnspr4, libexpat, …
    untarBrotli(join(bin, 'fonts.tar.br'), building); // fonts/Open_Sans; its fonts.conf is replaced below
    writeFileSync(
      join(building, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(home, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(home, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(building, home);
    } catch (err) {
      // Another run finished first: its copy is as good as ours.
      if (!existsSync(join(home, 'chromium'))) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return result();
}

/** Extracts a Brotli-compressed tar archive (a few MB) with the system's tar, which every Linux has. */
function untarBrotli(archive: string, into: string): void {
  const tar = join(into, 'archive.tar');
  writeFileSync(tar, brotliDecompressSync(readFileSync(archive)));
  try {
    execFileSync('tar', ['-x', '-f', tar, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(tar, { force: true });
  }
}

/** A page driven over the DevTools protocol (a flattened session of one target). */
export type Page = {
  send<T = Json>(method: string, params?: Json): Promise<T>;
  /** Resolves with the next event of this name (or one already seen when `seen` is true). */
  once(event: string): Promise<Json>;
  /** Every event of the session so far, in order. */
  events: { method: string; params: Json }[];
  /** Runs an expression in the page and returns its JSON value; a thrown error fails. */
  evaluate<T>(expression: string): Promise<T>;
};

export type Browser = { page: Page; close(): Promise<void> };

/** Starts headless Chromium with a private profile and opens one blank page over the DevTools protocol. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const bin = await findChromium(env);
  const profile = mkdtempSync(join(tmpdir(), 'mesh-chromium-'));
  const child: ChildProcess = spawn(
    bin.path,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, ...bin.env } },
  );
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('error', (e) => reject(new Error(`Chromium (${bin.path}) could not start: ${e.message}. ${HOW_TO}`)));
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before DevTools was ready:\n${err}`)));
  });
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void; method: string }>();
  const events: { method: string; params: Json }[] = [];
  const waiters: { event: string; resolve: (p: Json) => void }[] = [];
  ws.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString()) as {
      id?: number;
      result?: Json;
      error?: { message: string };
      method?: string;
      params?: Json;
    };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p?.resolve(msg.result ?? {});
      return;
    }
    if (msg.method) {
      events.push({ method: msg.method, params: msg.params ?? {} });
      for (const w of waiters.filter((x) => x.event === msg.method)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg.params ?? {});
      }
    }
  });
  const raw = <T>(method: string, params: Json = {}, sessionId?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: resolve as (v: Json) => void, reject, method });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const { targetId } = await raw<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await raw<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  const page: Page = {
    send: (method, params) => raw(method, params, sessionId),
    once: (event) => new Promise((resolve) => waiters.push({ event, resolve })),
    events,
    evaluate: async <T>(expression: string) => {
      const r = await raw<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>(
        'Runtime.evaluate',
        { expression, returnByValue: true, awaitPromise: true },
        sessionId,
      );
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text} (${expression})`);
      return r.result.value as T;
    },
  };
  return {
    page,
    close: async () => {
      await raw('Browser.close').catch(() => undefined);
      ws.close();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

type Json = Record<string, unknown>;

const HOW_TO =
  'These tests open the HTML export in a real headless Chromium, and none was found. Install it with `apt-get install -y chromium` (Debian), or set CHROMIUM=/path/to/chrome.';

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Chromium binary: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH; throws how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM) {
    if (executable(env.CHROMIUM)) return env.CHROMIUM;
    throw new Error(`CHROMIUM=${env.CHROMIUM} is not an executable file. ${HOW_TO}`);
  }
  const dirs = (env.PATH ?? '').split(':').filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const hit = dirs.map((d) => join(d, name)).find(executable);
    if (hit) return hit;
  }
  throw new Error(HOW_TO);
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
export async function launchChromium(): Promise<Browser> {
  const bin = findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'mesh-chromium-'));
  const child: ChildProcess = spawn(
    bin,
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
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('error', (e) => reject(new Error(`${HOW_TO} (${e.message})`)));
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

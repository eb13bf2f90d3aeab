import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

/** Form body → headers signed exactly as Slack signs them. */
export function signed(body: string, secret: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': `v0=${sig}`,
  };
}

export type Latency = { p50: number; p99: number; count: number; failures: number };

/**
 * Sends `bodies` to `url` keeping `concurrency` requests in flight and returns
 * the latency to each response (the ack), in milliseconds.
 */
export async function drive(url: string, bodies: string[], concurrency: number, secret: string): Promise<Latency> {
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const body = bodies[i];
      if (body === undefined) return;
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: signed(body, secret), body });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
      if (res.status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), count: times.length, failures };
}

/** Polls `url` until it answers 200; resolves with the milliseconds since `since`. */
export async function waitHealthy(url: string, since: number, timeoutMs = 30_000): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

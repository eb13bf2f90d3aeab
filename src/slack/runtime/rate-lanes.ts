/** The fetch the Web API client calls (WebClientOptions.fetch). */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type RateLaneOptions = {
  /** How many times one call is retried after a 429 before it fails with `ratelimited`. */
  retries: number;
  /** Per attempt, in ms (0: none); the client's own timeout would also run through the wait. */
  timeoutMs: number;
  base?: Fetch;
};

const methodOf = (input: string | URL | Request): string => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return new URL(url).pathname.split('/').pop() ?? '';
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer a call gets once its retries are spent: Slack's own error for it, with no 429 for the client to act on. */
const rateLimited = (retryAfter: string | null) =>
  new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) },
  });

/**
 * Rate limits per Web API method. Slack limits each method on its own, but
 * the Web API client answers a 429 by pausing its one shared queue, so a
 * background post's pause held up an unrelated `views.open` until its
 * `trigger_id` expired. This fetch waits out a 429 for that method only
 * (later calls of the same method wait too), retries, and never hands the
 * client a 429 to pause on.
 */
export function rateLanes(options: RateLaneOptions): Fetch {
  const base = options.base ?? globalThis.fetch;
  const pausedUntil = new Map<string, number>();
  return async (input, init) => {
    const method = methodOf(input);
    for (let attempt = 0; ; attempt += 1) {
      const wait = (pausedUntil.get(method) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      // A fresh timeout per attempt: the client's signal started before any wait.
      const signal = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : (init?.signal ?? null);
      const res = await base(input, { ...init, signal });
      if (res.status !== 429) return res;
      const retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer().catch(() => undefined);
      const seconds = Number(retryAfter);
      if (!Number.isFinite(seconds) || seconds < 0 || attempt >= options.retries) return rateLimited(retryAfter);
      pausedUntil.set(method, Math.max(pausedUntil.get(method) ?? 0, Date.now() + seconds * 1000));
    }
  };
}

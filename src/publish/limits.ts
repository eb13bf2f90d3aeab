/** How long an export may take: every git and GitHub call it makes ends within these bounds. */
export type ExportLimits = {
  /** The whole export, every call included. */
  totalMs: number;
  /** One call over the network (a git fetch or push, one GitHub request). */
  callMs: number;
  /** An HTTP transfer slower than this many bytes a second… */
  lowSpeedBytes: number;
  /** …for this many seconds is cut (git's http.lowSpeedLimit/Time; also ssh's connect and keep-alive bound). */
  lowSpeedSeconds: number;
};

export const DEFAULT_LIMITS: ExportLimits = {
  totalMs: 120_000,
  callMs: 30_000,
  lowSpeedBytes: 1000,
  lowSpeedSeconds: 15,
};

/** Limits with a total of `totalMs`, the per-call and idle bounds scaled down to fit inside it. */
export function limitsWithin(totalMs: number): ExportLimits {
  return {
    totalMs,
    callMs: Math.min(DEFAULT_LIMITS.callMs, totalMs),
    lowSpeedBytes: DEFAULT_LIMITS.lowSpeedBytes,
    lowSpeedSeconds: Math.max(1, Math.min(DEFAULT_LIMITS.lowSpeedSeconds, Math.floor(totalMs / 2000))),
  };
}

/** Seconds, rounded up, for messages people read. */
export const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** A signal that aborts after `ms`, or as soon as one of `parents` aborts (with its reason); `clear` ends its timer. */
export type Deadline = { signal: AbortSignal; clear: () => void };

/**
 * Like `AbortSignal.any([...parents, AbortSignal.timeout(ms)])`, with the timer
 * held by this closure: a timeout signal only `any` refers to can be collected
 * before it fires on some Node versions, and the deadline would never come.
 */
export function deadline(ms: number, ...parents: (AbortSignal | undefined)[]): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  // Pending calls keep the process alive by themselves; this timer alone must not (a CLI run ends when done).
  timer.unref();
  const listeners: Array<() => void> = [];
  const clear = () => {
    clearTimeout(timer);
    for (const off of listeners.splice(0)) off();
  };
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const forward = () => controller.abort(parent.reason);
    parent.addEventListener('abort', forward, { once: true });
    listeners.push(() => parent.removeEventListener('abort', forward));
  }
  controller.signal.addEventListener('abort', clear, { once: true });
  return { signal: controller.signal, clear };
}

/** True when the signal fired because time ran out (not because the bot is stopping). */
export const isDeadline = (signal: AbortSignal): boolean =>
  signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';

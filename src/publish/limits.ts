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

/** The export's own deadline joined with the caller's signal (a stop, a cancelled request). */
export function exportSignal(limits: ExportLimits, signal?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(limits.totalMs);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

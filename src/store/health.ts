import type { Store } from './store.js';

/** How long a probe may take before the store counts as not answering. */
export const PROBE_TIMEOUT_MS = 2000;
/** Probes while the store is down start this often and slow down to the cap. */
const PROBE_MIN_MS = 250;
const PROBE_MAX_MS = 2000;

export type StoreHealthOptions = {
  timeoutMs?: number;
  /** Told once when the store stops answering (with why) and once when it answers again (undefined). */
  onChange?: (down: string | undefined) => void;
};

/**
 * What the bot knows of its store right now, one signal for readiness and for
 * the ack path alike. It turns down when a probe (a real write, see
 * `Store.ping`) fails, and up only when a later probe succeeds; while down it
 * probes by itself, more slowly each time, so recovery is noticed without traffic.
 */
export class StoreHealth {
  private downWhy: string | undefined;
  private probing: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay = PROBE_MIN_MS;
  private stopped = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly options: StoreHealthOptions = {},
  ) {}

  /** True unless the last probe failed. */
  get up(): boolean {
    return this.downWhy === undefined;
  }

  /** Why the store is down, if it is. */
  get reason(): string | undefined {
    return this.downWhy;
  }

  /** Probes now (one probe at a time however many ask): true when the store took a real write in time. */
  check(): Promise<boolean> {
    this.probing ??= this.runProbe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  /** Resolves once the store answers (at once when it does); never, after `stop`, for a store that stayed down. */
  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stops probing in the background. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async runProbe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.options.timeoutMs ?? PROBE_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.probe(), timeout]);
      this.turnUp();
      return true;
    } catch (err) {
      this.turnDown((err as Error).message);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private turnUp(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.delay = PROBE_MIN_MS;
    if (this.downWhy === undefined) return;
    this.downWhy = undefined;
    this.options.onChange?.(undefined);
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private turnDown(why: string): void {
    const was = this.downWhy;
    this.downWhy = why;
    if (was === undefined) this.options.onChange?.(why);
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, PROBE_MAX_MS);
  }
}

/**
 * The store with every failing call reported to `onFailure` (and still
 * thrown), so whoever runs a request learns that its effects were not all
 * stored even when a listener caught the error and told the person.
 */
export function watchedStore(store: Store, onFailure: (err: unknown) => void): Store {
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      onFailure(err);
      throw err;
    });
  return {
    read: (teamId) => watch(store.read(teamId)),
    update: (teamId, fn, scope) => watch(store.update(teamId, fn, scope)),
    teams: () => watch(store.teams()),
    check: () => store.check(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

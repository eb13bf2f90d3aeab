/** How long work after an ack waits for the requests arriving meanwhile to be answered, at most. */
export const ACK_FIRST_MAX_MS = 1000;
/**
 * How long no request must have come in before work after an ack starts. A burst reaches the bot over a few
 * hundred milliseconds, not at once: between two of its requests nothing may be in hand, and work started then
 * holds up the requests that follow by the length of its slices.
 */
export const ACK_FIRST_QUIET_MS = 5;

/**
 * Requests received and not yet answered. Work after an ack waits for them:
 * under a burst, answering the requests in hand first keeps every ack as quick
 * as a bare app's, while the work (which has no 3 s deadline) follows once
 * the burst is answered and has stopped for `quietMs`, or ACK_FIRST_MAX_MS
 * after its own ack whatever comes in.
 */
export class Arrivals {
  private pending = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private readonly answered: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs = ACK_FIRST_QUIET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts a request in until its response is sent (or its connection closes). */
  track(res: { once(event: 'close', listener: () => void): unknown }): void {
    this.pending += 1;
    this.lastArrival = this.now();
    res.once('close', () => {
      this.pending -= 1;
      this.wake();
    });
  }

  get waiting(): number {
    return this.pending;
  }

  private get quiet(): boolean {
    return this.pending === 0 && this.now() - this.lastArrival >= this.quietMs;
  }

  /** Lets the waiting work go once nothing is in hand and nothing came for `quietMs`; checks again until then. */
  private wake(): void {
    if (this.pending > 0 || !this.answered.length || this.timer) return;
    const left = this.lastArrival + this.quietMs - this.now();
    if (left > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake();
      }, Math.ceil(left));
      return;
    }
    for (const resolve of this.answered.splice(0)) resolve();
  }

  /** Resolves once every request received so far is answered and none came for `quietMs`, or after `maxMs`. */
  settled(maxMs = ACK_FIRST_MAX_MS): Promise<void> {
    if (this.quiet || maxMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs);
      const answered = this.answered;
      function done() {
        clearTimeout(timer);
        const i = answered.indexOf(done);
        if (i >= 0) answered.splice(i, 1);
        resolve();
      }
      answered.push(done);
      this.wake();
    });
  }
}

/**
 * Bounds how much work after an ack runs at once. Slack wants every request
 * acknowledged within 3 s; when hundreds of follow-ups (store writes, Web API
 * calls) run at once, new requests wait behind their callbacks. With a few
 * slots, acks stay as quick as a bare Bolt app's and the follow-ups queue.
 */
export class WorkLimiter {
  private active = 0;
  /** Work waiting for a slot, by lane (a team); lanes take turns, so one team's flood cannot hold every slot. */
  private readonly waiting = new Map<string, Array<() => void>>();
  /** Lanes with waiting work, in the order their next turn comes. */
  private readonly turns: string[] = [];
  /** Work asked for a slot and not yet released (running or waiting). */
  private held = 0;
  private readonly quiet: Array<() => void> = [];

  /** `laneOf` names the lane of the work asking (the request's team); work of no lane shares one. */
  constructor(
    readonly slots: number,
    private readonly laneOf: () => string | undefined = () => undefined,
    private readonly arrivals?: Arrivals,
  ) {}

  /** Resolves with a release function once a slot is free and it is this lane's turn (default: `laneOf`'s). */
  async acquire(lane = this.laneOf() ?? ''): Promise<() => void> {
    this.held += 1;
    const deadline = performance.now() + ACK_FIRST_MAX_MS;
    // Let the event loop read waiting requests first: their acks come before this work.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.arrivals?.settled();
    if (this.active >= this.slots) {
      await new Promise<void>((resolve) => {
        // A slot freed in the middle of a new burst: the burst's acks still go first.
        const go = () => void (this.arrivals?.settled(deadline - performance.now()) ?? Promise.resolve()).then(resolve);
        const queue = this.waiting.get(lane);
        if (queue) queue.push(go);
        else {
          this.waiting.set(lane, [go]);
          this.turns.push(lane);
        }
      });
    } else this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.nextWaiting();
      if (next) setImmediate(next);
      else this.active -= 1;
      this.held -= 1;
      if (this.held === 0) for (const resolve of this.quiet.splice(0)) resolve();
    };
  }

  /** The first waiting work of the lane whose turn it is; that lane goes to the back of the turns. */
  private nextWaiting(): (() => void) | undefined {
    const lane = this.turns.shift();
    if (lane === undefined) return undefined;
    const queue = this.waiting.get(lane) ?? [];
    const next = queue.shift();
    if (queue.length) this.turns.push(lane);
    else this.waiting.delete(lane);
    return next;
  }

  /** True while some work holds or waits for a slot. */
  get busy(): boolean {
    return this.held > 0;
  }

  /** Resolves once no work holds or waits for a slot. */
  idle(): Promise<void> {
    return this.held === 0 ? Promise.resolve() : new Promise((resolve) => this.quiet.push(resolve));
  }
}

type Acking = { ack: (...args: never[]) => Promise<void> };

/**
 * Wraps a listener so that it acks at once, then waits for a work slot before
 * whatever follows its ack. Requests for which `needsSlot` says no (exports,
 * which run in their own bounded lane) go on without one.
 */
export function afterAck<A extends Acking>(
  limiter: WorkLimiter,
  listener: (args: A) => Promise<void>,
  needsSlot: (args: A) => boolean = () => true,
) {
  return async (args: A): Promise<void> => {
    if (!needsSlot(args)) return listener(args);
    let release: (() => void) | undefined;
    const ack = (async (...a: Parameters<A['ack']>) => {
      await args.ack(...a);
      release ??= await limiter.acquire();
    }) as A['ack'];
    try {
      await listener({ ...args, ack });
    } finally {
      release?.();
    }
  };
}

import { deadline } from '../../publish/limits.js';

/** What asking the lane for an export gave. */
export type LaneOutcome<T> =
  | { kind: 'done'; value: T }
  /** This team's export is already running or waiting here. */
  | { kind: 'already' }
  /** Too many teams are waiting to export. */
  | { kind: 'full' }
  /** The bot is stopping: the export was not started, or was cut short. */
  | { kind: 'stopping' }
  /** Its time ran out while it waited for a slot. */
  | { kind: 'late' };

/**
 * Exports' own lane, apart from the shared work slots: a repository that
 * answers slowly (or never) holds at most `slots` exports, never the slots
 * that starts, answers and replies need. One export per team runs or waits
 * at a time; a second is told so at once. `stop` aborts every running export
 * through its signal, so the bot's stop does not wait on a remote.
 */
export class ExportLane {
  private readonly teams = new Set<string>();
  private readonly running = new Set<AbortController>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private stopping = false;
  private readonly quiet: Array<() => void> = [];

  constructor(
    readonly slots = 2,
    /** Teams that may wait for a slot before new exports are turned away. */
    readonly maxWaiting = 16,
  ) {}

  /**
   * Runs `task` for the team once a slot is free. Its signal aborts at `timeoutMs` after the request (time
   * spent waiting counts: an export ends on time whatever runs before it) or when the lane stops.
   */
  async run<T>(teamId: string, task: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<LaneOutcome<T>> {
    if (this.stopping) return { kind: 'stopping' };
    if (this.teams.has(teamId)) return { kind: 'already' };
    if (this.teams.size >= this.slots + this.maxWaiting) return { kind: 'full' };
    this.teams.add(teamId);
    const controller = new AbortController();
    this.running.add(controller);
    const clears: Array<() => void> = [];
    try {
      const { signal, clear } = deadline(timeoutMs, controller.signal);
      clears.push(clear);
      if (this.active >= this.slots) {
        const slot = new Promise<void>((resolve) => this.waiting.push(resolve));
        // A waiting export whose time runs out gives up its place at once (and its slot, should one come).
        const gaveUp = new Promise<'late'>((resolve) => signal.addEventListener('abort', () => resolve('late')));
        if ((await Promise.race([slot, gaveUp])) === 'late') {
          void slot.then(() => this.handOn());
          return controller.signal.aborted ? { kind: 'stopping' } : { kind: 'late' };
        }
      } else this.active += 1;
      try {
        if (controller.signal.aborted) return { kind: 'stopping' };
        return { kind: 'done', value: await task(signal) };
      } finally {
        this.handOn();
      }
    } finally {
      for (const clear of clears) clear();
      this.running.delete(controller);
      this.teams.delete(teamId);
      if (!this.teams.size) for (const resolve of this.quiet.splice(0)) resolve();
    }
  }

  /** A slot is free: the next waiting export takes it, or it is counted free. */
  private handOn(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** True while an export runs or waits. */
  get busy(): boolean {
    return this.teams.size > 0;
  }

  /** Resolves once no export runs or waits. */
  idle(): Promise<void> {
    return this.teams.size ? new Promise((resolve) => this.quiet.push(resolve)) : Promise.resolve();
  }

  /** Refuses new exports and aborts the running and waiting ones; resolves once they have ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of this.running) c.abort(new Error('mesh-help is stopping'));
    await this.idle();
  }
}

/** Holds a key for the length of a task across processes (PostgreSQL advisory locks); see PgStore.exclusive. */
export type Exclusive = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/**
 * Runs tasks one after another per key; different keys run concurrently.
 * With `exclusive`, one after another across every process sharing it too.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly exclusive?: Exclusive) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const exclusive = this.exclusive;
    const task = exclusive ? () => exclusive(key, work) : work;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** True while some task is queued or running. */
  get busy(): boolean {
    return this.tails.size > 0;
  }

  /** Resolves when every queued task has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}

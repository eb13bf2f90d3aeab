import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../src/slack/runtime/keyed-queue.js';
import { Arrivals, afterAck, WorkLimiter } from '../../../src/slack/runtime/work.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Two pieces of work after an ack in `limiter`: the first holds its slot until `finishFirst`; each notes its end. */
function twoWorks(limiter: WorkLimiter) {
  const order: string[] = [];
  let finishFirst: () => void = () => undefined;
  const first = afterAck(limiter, async ({ ack }: { ack: () => Promise<void> }) => {
    await ack();
    await new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    order.push('first');
  })({ ack: async () => undefined });
  const second = afterAck(limiter, async ({ ack }: { ack: () => Promise<void> }) => {
    await ack();
    order.push('second');
  })({ ack: async () => undefined });
  return { order, first, second, finishFirst: () => finishFirst() };
}

describe('WorkLimiter.idle', () => {
  it('resolves at once with no work, and only after running and waiting work has released its slot', async () => {
    const limiter = new WorkLimiter(1);
    await limiter.idle();
    expect(limiter.busy).toBe(false);
    const { order, first, second, finishFirst } = twoWorks(limiter);
    await turn();
    expect(limiter.busy).toBe(true);
    let idle = false;
    const waiting = limiter.idle().then(() => {
      idle = true;
    });
    for (let i = 0; i < 10; i++) await turn();
    expect(idle).toBe(false);
    finishFirst();
    await waiting;
    expect(order).toEqual(['first', 'second']);
    expect(limiter.busy).toBe(false);
    await Promise.all([first, second]);
  });
});

describe('KeyedQueue.idle', () => {
  it('waits for a task queued by a task that was running when idle() was called', async () => {
    const queue = new KeyedQueue();
    const done: string[] = [];
    void queue.run('a', async () => {
      await turn();
      void queue.run('b', async () => {
        await turn();
        done.push('b');
      });
      done.push('a');
    });
    expect(queue.busy).toBe(true);
    await queue.idle();
    expect(done).toEqual(['a', 'b']);
    expect(queue.busy).toBe(false);
  });
});

describe('WorkLimiter lanes', () => {
  it('teams take turns for the slots: work queued later by another team does not wait behind a flood', async () => {
    let lane = 'A';
    const limiter = new WorkLimiter(1, () => lane);
    const order: string[] = [];
    const releases: Array<() => void> = [];
    const ask = (name: string, team: string) => {
      lane = team;
      return limiter.acquire().then((release) => {
        order.push(name);
        releases.push(release);
      });
    };
    const all = [ask('a1', 'A'), ask('a2', 'A'), ask('a3', 'A'), ask('a4', 'A'), ask('b1', 'B'), ask('a5', 'A')];
    for (let i = 0; i < 5; i++) await turn();
    expect(order).toEqual(['a1']);
    for (let i = 0; i < 5; i++) {
      releases.shift()?.();
      for (let j = 0; j < 3; j++) await turn();
    }
    await Promise.all(all);
    // B's one request runs right after the first of A's turns, not after A's whole flood.
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3', 'a4', 'a5']);
    for (const r of releases) r();
    await limiter.idle();
  });
});

describe('Arrivals: acks first', () => {
  const response = () => new EventEmitter();

  it('holds work after an ack until every request received meanwhile is answered', async () => {
    const arrivals = new Arrivals();
    const limiter = new WorkLimiter(4, () => undefined, arrivals);
    const [one, two] = [response(), response()];
    arrivals.track(one);
    arrivals.track(two);
    let ran = false;
    const work = afterAck(limiter, async ({ ack }: { ack: () => Promise<void> }) => {
      await ack();
      ran = true;
    })({ ack: async () => undefined });
    for (let i = 0; i < 10; i++) await turn();
    expect(ran).toBe(false);
    one.emit('close');
    for (let i = 0; i < 10; i++) await turn();
    expect(ran).toBe(false);
    two.emit('close');
    await work;
    expect(ran).toBe(true);
    expect(arrivals.waiting).toBe(0);
  });

  it('waits for a pause in arrivals, not only until nothing is in hand: a burst arrives over time', async () => {
    const arrivals = new Arrivals(40);
    const first = response();
    arrivals.track(first);
    first.emit('close');
    const t0 = performance.now();
    let at = 0;
    const settled = arrivals.settled().then(() => {
      at = performance.now() - t0;
    });
    // Nothing is in hand, yet the next request of the burst comes 20 ms later, and is answered at once.
    await new Promise((r) => setTimeout(r, 20));
    expect(at).toBe(0);
    const second = response();
    arrivals.track(second);
    second.emit('close');
    await settled;
    expect(at).toBeGreaterThanOrEqual(55);
  });

  it('lets a new burst go first when a slot frees: queued work waits for its requests too', async () => {
    const arrivals = new Arrivals(0);
    const limiter = new WorkLimiter(1, () => undefined, arrivals);
    const { order, first, second, finishFirst } = twoWorks(limiter);
    for (let i = 0; i < 5; i++) await turn();
    // A request of a new burst is in hand when the first work releases its slot.
    const incoming = response();
    arrivals.track(incoming);
    finishFirst();
    await first;
    for (let i = 0; i < 10; i++) await turn();
    expect(order).toEqual(['first']);
    incoming.emit('close');
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('waits no longer than its bound while requests keep arriving', async () => {
    const arrivals = new Arrivals();
    arrivals.track(response());
    const t0 = performance.now();
    await arrivals.settled(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(arrivals.waiting).toBe(1);
  });
});

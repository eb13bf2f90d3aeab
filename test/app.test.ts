import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from './support/driver.js';
import type { Call } from './support/fake-slack.js';
import { ALICE, actionPayload, type Harness, HOME_TEAM, isPost, startHarness } from './support/harness.js';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isQuestion = (c: Call) => isPost(c) && typeof c.params.thread_ts === 'string';

/** Every store write waits a few turns of the event loop, so the work after an ack is still running when the ack is seen. */
const slowWrites = (store: Store): Store =>
  new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'update' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });

describe('MeshApp.idle', () => {
  it('resolves at once on a bot with nothing to do', async () => {
    h = await startHarness();
    await h.mesh.idle();
    expect(h.fake.calls.filter(isPost)).toEqual([]);
  });

  it('waits for the work after an ack, and the Slack calls that work queues, before it resolves', async () => {
    h = await startHarness({ wrapStore: slowWrites });
    const res = await h.command('start Idle waits');
    expect(res.status).toBe(200);
    // Acked, but the root message and the first question come after the ack.
    expect(h.fake.calls.filter(isQuestion)).toEqual([]);
    await h.mesh.idle();
    const roots = h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined);
    expect(roots).toHaveLength(1);
    expect(h.fake.calls.filter(isQuestion)).toHaveLength(1);
    const sessions = (h.teamFile()?.sessions ?? []) as Json[];
    expect(sessions.map((s) => s.threadTs)).toEqual([roots[0]?.params.ts ?? sessions[0]?.threadTs]);
  });

  it('does not resolve while a Slack call is unanswered, and resolves once it times out', async () => {
    h = await startHarness({ timeoutMs: 300 });
    const held = h.fake.holdNextMatching('chat.postMessage', (p) => p.thread_ts === undefined, false);
    await h.command('start Held root');
    await held;
    let idle = false;
    const waiting = h.mesh.idle().then(() => {
      idle = true;
    });
    // A burst of event-loop turns: an idle() that ignored the pending call would have resolved by now.
    for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    await waiting;
    expect(idle).toBe(true);
    // The failure was handled (the person told) before idle() resolved.
    expect(h.fake.called('response_url').length + h.fake.called('chat.postEphemeral').length).toBeGreaterThan(0);
  });

  it('waits for the reminder round a start runs, and the store writes after its post', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    h = await startHarness({ now });
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    await h.idle();
    const before = h.fake.calls.length;
    clock += 400 * DAY;
    h = await h.restart();
    await h.idle();
    const reminders = h.fake.calls
      .slice(before)
      .filter((c) => isPost(c) && (c.params.metadata as Json | undefined)?.event_type === 'mesh_help_reminder');
    expect(reminders).toHaveLength(1);
    const decision = ((h.teamFile(HOME_TEAM)?.decisions ?? []) as Json[])[0];
    expect(decision?.reminderPostedAt).toBe(new Date(clock).toISOString());
  });
});

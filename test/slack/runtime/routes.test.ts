import { afterEach, describe, expect, it } from 'vitest';
import { acksEmpty, Routes, slackRoutes } from '../../../src/slack/runtime/routes.js';
import { type Harness, startHarness } from '../../support/harness.js';

describe('Routes', () => {
  it('runs the listener of an exact id, and every pattern that matches, in the order they were added', async () => {
    const routes = new Routes<string[]>();
    routes.on('a', async (seen) => {
      seen.push('exact a');
    });
    routes.on(/^a|^b/, async (seen) => {
      seen.push('pattern a|b');
    });
    routes.on('b', async (seen) => {
      seen.push('exact b');
    });
    const seen: string[] = [];
    expect(await routes.run('a', seen)).toBe(true);
    expect(seen).toEqual(['exact a', 'pattern a|b']);
    expect(routes.find('b')).toHaveLength(2);
    expect(routes.find('c')).toHaveLength(0);
  });

  it('answers false for an id nobody listens to, and runs nothing', async () => {
    const routes = new Routes<string[]>();
    routes.on('a', async (seen) => {
      seen.push('a');
    });
    const seen: string[] = [];
    expect(await routes.run('ab', seen)).toBe(false);
    expect(seen).toEqual([]);
  });
});

describe('acksEmpty', () => {
  it('is true for a click on a routed button and for an event; false for what may answer in its ack or nobody routes', () => {
    const routes = slackRoutes();
    routes.actions.on('answer', async () => undefined);
    const empty = acksEmpty(routes);
    const click = (id: string) => ({ type: 'block_actions', actions: [{ action_id: id }] });
    expect(empty(click('answer'))).toBe(true);
    expect(empty(click('delete:everything'))).toBe(false);
    expect(empty({ type: 'block_actions', actions: [] })).toBe(false);
    expect(empty({ type: 'event_callback', event: { type: 'app_mention' } })).toBe(true);
    expect(empty({ type: 'event_callback', event: { type: 'function_executed' } })).toBe(false);
    expect(empty({ type: 'view_submission', view: { callback_id: 'x' } })).toBe(false);
    expect(empty({ command: '/mesh-help', text: 'start' })).toBe(false);
  });
});

describe('the app', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('leaves Bolt no listener: one router takes commands, shortcuts, buttons, modal submissions and events', async () => {
    h = await startHarness();
    // Bolt runs each registered listener's matching middleware for every request.
    const listeners = (h.mesh.app as unknown as { listeners: unknown[][] }).listeners;
    expect(listeners).toHaveLength(0);
  });
});

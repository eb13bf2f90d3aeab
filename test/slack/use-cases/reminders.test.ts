import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDecision } from '../../../src/domain/machine/record.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import type { SlackDeps } from '../../../src/slack/runtime/context.js';
import { ExportLane } from '../../../src/slack/runtime/export-lane.js';
import { KeyedQueue } from '../../../src/slack/runtime/keyed-queue.js';
import { WorkLimiter } from '../../../src/slack/runtime/work.js';
import { REMINDER_CLAIM_LEASE_MS, remindDue } from '../../../src/slack/use-cases/reminders.js';
import { PgStore, type Store } from '../../../src/store/index.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';

/** Two bots on one PostgreSQL database, each running its reminder round against one shared Slack thread. */
const flow = getFlow();
const answers = { clusters: 'one', pains: ['mtls'] };
const DECIDED = new Date('2025-01-01T00:00:00Z');
const LATER = new Date('2026-06-01T00:00:00Z');
const THREAD = '1700000000.000100';

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as never,
  setName: () => undefined,
};

const clientOf = (client: WebClient) => async () => client;

const depsOf = (store: Store, now: () => Date): SlackDeps => ({
  flow,
  store,
  now,
  newId: () => 'id',
  logger: quiet,
  effects: new KeyedQueue(),
  work: new WorkLimiter(2),
  exports: new ExportLane(),
  homeTeamId: 'T1',
});

type Posted = { channel: string; thread_ts: string; metadata: { event_payload: { decision: number } } };

/** A Slack thread both bots post to; `postMessage` can be held open to catch a second bot mid-post. */
function fakeSlack() {
  const posted: Array<Posted & { ts: string }> = [];
  let hold: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const client = {
    chat: {
      postMessage: async (args: Posted) => {
        const held = hold;
        hold = undefined;
        entered();
        await held;
        const ts = `1700000001.${String(posted.length).padStart(6, '0')}`;
        posted.push({ ...args, ts });
        return { ok: true, ts };
      },
    },
    conversations: {
      replies: async () => ({
        ok: true,
        messages: posted.map((p) => ({
          ts: p.ts,
          metadata: { event_type: 'mesh_help_reminder', event_payload: p.metadata.event_payload },
        })),
      }),
    },
  } as unknown as WebClient;
  return {
    client,
    posted,
    /** Holds the next post (only that one) open; `inside` resolves once a bot is in it. */
    holdNextPost(): { inside: Promise<void>; release: () => void } {
      hold = new Promise<void>((r) => {
        release = r;
      });
      const inside = new Promise<void>((r) => {
        entered = r;
      });
      return { inside, release: () => release() };
    },
  };
}

const schemas: TestSchema[] = [];
const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const s of schemas.splice(0)) await s.drop();
});

async function twoBots() {
  const schema = await freshSchema();
  schemas.push(schema);
  const a = new PgStore(schema.url);
  const b = new PgStore(schema.url);
  open.push(a, b);
  await a.update('T1', (doc) => {
    const r = recordDecision(doc, {
      title: 'Adopt a mesh',
      answers,
      recommendation: recommend(flow, answers),
      status: 'accepted',
      by: 'U1',
      now: DECIDED,
      channel: 'C1',
      threadTs: THREAD,
    });
    if (!r.ok) throw new Error(r.error.kind);
  });
  return { a, b };
}

describe('revisit reminders with two bots on one database', () => {
  it('posts once when the second bot runs its round while the first is posting', async () => {
    const { a, b } = await twoBots();
    const slack = fakeSlack();
    const held = slack.holdNextPost();
    const first = remindDue(
      depsOf(a, () => LATER),
      clientOf(slack.client),
      'bot-a',
    );
    await held.inside;
    await remindDue(
      depsOf(b, () => LATER),
      clientOf(slack.client),
      'bot-b',
    );
    held.release();
    await first;
    await remindDue(
      depsOf(b, () => LATER),
      clientOf(slack.client),
      'bot-b',
    );
    expect(slack.posted).toHaveLength(1);
    expect(slack.posted[0]).toMatchObject({ channel: 'C1', thread_ts: THREAD });
    const d = (await b.read('T1')).decisions[0];
    expect(d?.reminderClaimedBy).toBe('bot-a');
    expect(d?.reminderTs).toBe(slack.posted[0]?.ts);
  });

  it('takes over a claim another bot left past the lease, reading the thread first', async () => {
    const { a, b } = await twoBots();
    const slack = fakeSlack();
    // Bot A claims and posts, then dies before marking the reminder posted.
    await a.update('T1', (doc) => {
      const d = doc.decisions[0];
      if (d) Object.assign(d, { reminderClaimedAt: LATER.toISOString(), reminderClaimedBy: 'bot-a' });
    });
    slack.posted.push({
      channel: 'C1',
      thread_ts: THREAD,
      ts: '1700000009.000001',
      metadata: { event_payload: { decision: 1 } },
    });
    const withinLease = new Date(LATER.getTime() + REMINDER_CLAIM_LEASE_MS - 1000);
    await remindDue(
      depsOf(b, () => withinLease),
      clientOf(slack.client),
      'bot-b',
    );
    expect((await b.read('T1')).decisions[0]?.reminderPostedAt).toBeUndefined();
    const pastLease = new Date(LATER.getTime() + REMINDER_CLAIM_LEASE_MS + 1000);
    await remindDue(
      depsOf(b, () => pastLease),
      clientOf(slack.client),
      'bot-b',
    );
    expect(slack.posted).toHaveLength(1);
    expect((await a.read('T1')).decisions[0]).toMatchObject({
      reminderTs: '1700000009.000001',
      reminderClaimedBy: 'bot-b',
    });
  });

  it('posts a reminder whose claimant died before posting, once, after the lease', async () => {
    const { a, b } = await twoBots();
    const slack = fakeSlack();
    await a.update('T1', (doc) => {
      const d = doc.decisions[0];
      if (d) Object.assign(d, { reminderClaimedAt: LATER.toISOString(), reminderClaimedBy: 'bot-a' });
    });
    const pastLease = new Date(LATER.getTime() + REMINDER_CLAIM_LEASE_MS + 1000);
    await Promise.all([
      remindDue(
        depsOf(a, () => pastLease),
        clientOf(slack.client),
        'bot-c',
      ),
      remindDue(
        depsOf(b, () => pastLease),
        clientOf(slack.client),
        'bot-b',
      ),
    ]);
    expect(slack.posted).toHaveLength(1);
    expect((await b.read('T1')).decisions[0]?.reminderPostedAt).toBeDefined();
  });
});

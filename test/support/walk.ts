import type { StoredMessage } from './fake-slack.js';
import { ALICE, CHANNEL, clickPayload, confirmPayload, type Harness, type Person, questionMessage } from './harness.js';

/** A walk through the bot as a user does it, shared by the issue #17 walk test and `npm run preview`. */

type Json = Record<string, unknown>;

/**
 * Two EKS regions already on Istio, failing user traffic over between them:
 * fifteen questions are asked for these answers, in the interview's order
 * (the ones that do not apply are skipped by the interview).
 */
export const TWO_REGIONS_ON_ISTIO: Record<string, string | string[]> = {
  clusters: 'multi-region',
  fleet: '2-5',
  services: '50-plus',
  pains: ['mtls', 'region-failover', 'cross-cluster-calls'],
  traffic: 'user-facing',
  data: 'replicated',
  network: 'flat',
  cni: 'cilium',
  l7_between_clusters: 'yes',
  regulated: 'no',
  fips: 'no',
  existing_mesh: 'istio',
  platform: 'eks',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
  deploys: 'daily',
};

/** Starts an interview with `/mesh-help start <title>`; resolves with the root message's ts. */
export async function startWalk(h: Harness, title: string, who: Person = ALICE): Promise<string> {
  const before = h.fake.calls.length;
  const res = await h.command(`start ${title}`, who);
  if (res.status !== 200) throw new Error(`/mesh-help start answered HTTP ${res.status}`);
  await h.idle();
  const root = h.fake.calls.find(
    (c) => c.seq > before && c.method === 'chat.postMessage' && c.params.thread_ts === undefined,
  );
  const rootTs = [...h.fake.messages.values()].find(
    (m) => m.channel === CHANNEL && !m.thread_ts && m.text === root?.params.text,
  )?.ts;
  if (!rootTs) throw new Error('the interview did not start: no root message in the channel');
  return rootTs;
}

/**
 * Answers every question the interview asks, as the thread shows it at each
 * step (one message per question or one updated in place: the newest message
 * carrying `q:<id>`); resolves with the ids asked, in order.
 */
export async function answerAll(
  h: Harness,
  rootTs: string,
  answers: Record<string, string | string[]>,
  who: Person = ALICE,
): Promise<string[]> {
  const asked: string[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const msg = questionMessage(h.fake, CHANNEL, rootTs, id);
    if (!msg) continue;
    asked.push(id);
    const res = await h.interact(
      Array.isArray(value)
        ? confirmPayload(h.fake, msg, `q:${id}`, value, who)
        : clickPayload(h.fake, msg, `q:${id}`, value, who),
    );
    if (res.status !== 200) throw new Error(`answering ${id} got HTTP ${res.status}`);
    await h.idle();
  }
  return asked;
}

export const hasAction = (m: { blocks: Json[] }, id: string): boolean =>
  JSON.stringify(m.blocks).includes(`"action_id":"${id}"`);

/** The newest message in the thread with this action. */
export const withAction = (h: Harness, rootTs: string, id: string): StoredMessage | undefined =>
  h.fake
    .thread(CHANNEL, rootTs)
    .filter((m) => hasAction(m, id))
    .at(-1);

/** A click on a button inside an open modal, as Slack sends it (container of type view). */
export function viewClickPayload(h: Harness, view: Json, actionId: string, who: Person): Json {
  for (const b of (view.blocks ?? []) as Json[]) {
    for (const e of (Array.isArray(b.elements) ? b.elements : []) as Json[]) {
      if (e.action_id !== actionId) continue;
      return {
        type: 'block_actions',
        api_app_id: 'A0MESH',
        token: 'deprecated-verification-token',
        trigger_id: `trigger-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        user: { id: who.id, username: who.id.toLowerCase(), name: who.id.toLowerCase(), team_id: who.team },
        team: { id: who.team, domain: 'x' },
        container: { type: 'view', view_id: 'V0OPEN' },
        view: { ...view, id: 'V0OPEN', team_id: who.team, state: { values: {} } },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: b.block_id,
            value: e.value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
        response_url: h.fake.responseUrl(),
      };
    }
  }
  throw new Error(`no button ${actionId} in the view`);
}

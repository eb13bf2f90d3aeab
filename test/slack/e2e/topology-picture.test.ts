import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextQuestion } from '../../../src/engine/answers.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { TOPOLOGY_FILE } from '../../../src/slack/runtime/topology-picture.js';
import { isCardPost, runInterview, startInterview, waitForCard } from '../../support/driver.js';
import { CHANNEL, type Harness, startHarness } from '../../support/harness.js';
import { decodePng } from '../../support/png.js';

const flow = getFlow();
/** Pictures are kept here for people to look at (git-ignored). */
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url).pathname;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The questions the bot asks for these answers, in the order it asks them, with the answer to give. */
function script(answers: Answers): Record<string, string | string[]> {
  const given: Answers = {};
  for (let q = nextQuestion(flow, given); q; q = nextQuestion(flow, given)) {
    given[q.id] = answers[q.id] ?? q.default;
  }
  return given;
}

/** Two regions on a network reachable only through gateways, calling across with mTLS: Istio spans both. */
const ACROSS_REGIONS: Answers = {
  clusters: 'multi-region',
  fleet: '2-5',
  services: '50-plus',
  pains: ['cross-cluster-calls', 'mtls'],
  network: 'gateways-only',
  l7_between_clusters: 'yes',
  existing_mesh: 'istio',
  regulated: 'yes',
  ops: 'platform-team',
};

describe('the topology picture in Slack', () => {
  it('uploads the PNG into the recommendation’s thread after the card, with alt text that describes it', async () => {
    h = await startHarness();
    const root = await startInterview(h, 'Istio across regions');
    await runInterview(h, root, script(ACROSS_REGIONS));
    const card = await waitForCard(h);
    await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal', 10_000, 'the topology upload');
    await h.idle();

    expect(h.fake.files).toHaveLength(1);
    const [file] = h.fake.files;
    expect(file).toMatchObject({
      filename: TOPOLOGY_FILE,
      title: 'Recommended topology',
      channel: CHANNEL,
      threadTs: root,
    });
    const png = decodePng(file?.bytes ?? Buffer.alloc(0));
    // Kept for people to look at, as Slack would show it (git-ignored).
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'slack-topology.png'), file?.bytes ?? Buffer.alloc(0));
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBeGreaterThan(300);
    expect(file?.altText).toMatch(/^Recommended topology: 2 to 5 clusters in two regions\./);
    expect(file?.altText).toContain('Istio multi-cluster (multi-primary)');
    expect(file?.altText).toContain('east-west gateways');
    expect(file?.altText).toContain('shared root CA');

    // In the thread, under the card: the upload starts after the card was posted.
    const cardCall = h.fake.calls.find(isCardPost);
    const asked = h.fake.calls.find((c) => c.method === 'files.getUploadURLExternal');
    expect(cardCall && asked && asked.seq > cardCall.seq).toBe(true);
    expect(card.thread_ts).toBe(root);
  });

  it('a failed upload is logged and leaves the recommendation and its checklist in place', async () => {
    h = await startHarness();
    h.fake.failNext('files.getUploadURLExternal', 'missing_scope');
    const root = await startInterview(h, 'One cluster');
    await runInterview(
      h,
      root,
      script({ clusters: 'one', services: '50-plus', pains: ['mtls'], ops: 'platform-team' }),
    );
    const card = await waitForCard(h);
    await h.fake.waitFor((c) => c.method === 'files.getUploadURLExternal', 10_000, 'the upload attempt');
    await h.idle();
    expect(h.fake.files).toEqual([]);
    expect(h.fake.called('files.completeUploadExternal')).toEqual([]);
    expect(h.fake.message(CHANNEL, card.ts)?.blocks.length).toBeGreaterThan(0);
    const checklist = h.fake
      .thread(CHANNEL, root)
      .filter((m) => JSON.stringify(m.blocks).includes('Readiness checklist'));
    expect(checklist).toHaveLength(1);
  });
});

import type { Thread } from '../../domain/machine/effects.js';
import type { Answers } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import { topologyOf } from '../../engine/topology.js';
import type { Run } from './effects.js';

/** Slack's limit on an image's alt text (files.getUploadURLExternal `alt_text`). */
const ALT_TEXT_MAX = 1000;

/** The file name the picture gets in Slack. */
export const TOPOLOGY_FILE = 'recommended-topology.png';

/**
 * Uploads the recommended topology as a PNG into the recommendation's thread,
 * right under its card and checklist, with alt text that says what it shows.
 * A failure is logged and the interview goes on: the card already says it all in words.
 */
export async function postTopologyPicture(
  run: Run,
  thread: Thread,
  answers: Answers,
  rec: Recommendation,
): Promise<void> {
  await run.attempt('uploading the topology picture', async () => {
    const topology = topologyOf(run.deps.flow, answers, rec);
    // Loaded on first use: Graphviz's WebAssembly and resvg stay out of the bot until a recommendation is drawn.
    const { diagramRenderer } = await import('../../diagram/render.js');
    const png = await (await diagramRenderer()).pngAsync(topology);
    await run.client.filesUploadV2({
      channel_id: thread.channel,
      thread_ts: thread.threadTs,
      file: png.png,
      filename: TOPOLOGY_FILE,
      title: 'Recommended topology',
      alt_text: topology.summary.slice(0, ALT_TEXT_MAX),
    });
  });
}

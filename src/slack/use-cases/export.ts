import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { type AdrFile, exportFiles, INDEX_FILE, renderAdr } from '../../adr/index.js';
import { adrId } from '../../domain/machine/record.js';
import { count, pick } from '../../domain/plural.js';
import { visibleIn } from '../../team/visibility.js';
import { type Message, section, who } from '../blocks/kit.js';
import { COMMAND } from '../ids.js';
import type { SlackDeps } from '../runtime/context.js';
import { plainSlackProblem, slackError } from '../runtime/failures.js';
import type { FoundRecord } from './records.js';

/**
 * Files per files.uploadV2 call. Slack shows at most ten files on one message,
 * so a bigger log goes out as several uploads in one thread.
 */
export const FILES_PER_UPLOAD = 10;

/** `leftOut`: records private to other conversations, not exported here. */
export type UploadOutcome =
  | { kind: 'uploaded'; files: number; leftOut?: number }
  | { kind: 'empty'; leftOut?: number }
  | { kind: 'failed'; error: string };

const asUpload = (f: AdrFile) => ({ file: Buffer.from(f.content, 'utf8'), filename: f.fileName, title: f.fileName });

/**
 * `decision:export`: uploads one record's MADR file into its discussion thread
 * (or, for a record with no thread, where the card was clicked).
 */
export async function uploadRecord(
  deps: SlackDeps,
  client: WebClient,
  found: FoundRecord,
  fallback: { channel: string; threadTs: string },
): Promise<UploadOutcome> {
  const { decision, doc } = found;
  const file = renderAdr(decision, {
    flow: deps.flow,
    decisions: doc.decisions,
    ...(decision.permalink ? { threadLink: decision.permalink } : {}),
  });
  const channel = decision.channel ?? fallback.channel;
  const threadTs = decision.channel && decision.threadTs ? decision.threadTs : fallback.threadTs;
  try {
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      initial_comment: `${adrId(decision.number)} as a MADR file, for your repository’s \`docs/decisions/\`.`,
      ...asUpload(file),
    });
    return { kind: 'uploaded', files: 1 };
  } catch (err) {
    deps.logger.warn(`mesh-help: uploading ${file.fileName} failed in ${channel}: ${slackError(err)}`);
    return { kind: 'failed', error: slackError(err) };
  }
}

/**
 * `/mesh-help export`: the team's whole log (the README.md index, then every
 * record) under one parent message in the channel, ten files per upload in
 * its thread, so the channel gets one message however long the log is.
 */
export async function uploadLog(
  deps: SlackDeps,
  client: WebClient,
  input: { teamId: string; channel: string; user: string },
): Promise<UploadOutcome> {
  const all = await deps.store.read(input.teamId);
  // A channel exports what it may see: records of private conversations stay in them.
  const decisions = all.decisions.filter((d) => visibleIn(d, input.channel));
  const leftOut = all.decisions.length - decisions.length;
  if (!decisions.length) return { kind: 'empty', leftOut };
  const files = exportFiles(deps.flow, input.teamId, decisions);
  const privateNote = leftOut
    ? ` ${count(leftOut, 'record')} from private channels or DMs ${pick(leftOut, 'was', 'were')} left out; export there to get them.`
    : '';
  const lead = `:card_index_dividers: ${who(input.user)} exported this team’s decision log: ${count(decisions.length, 'record')} and the \`${INDEX_FILE}\` index, in the thread. Commit them as \`docs/decisions/\`.${privateNote}`;
  try {
    const parent = await client.chat.postMessage({
      channel: input.channel,
      text: `Decision log export: ${count(decisions.length, 'record')} and ${INDEX_FILE}`,
      blocks: [section(lead)],
    });
    const threadTs = parent.ts;
    if (!threadTs) return { kind: 'failed', error: 'no_ts' };
    for (let i = 0; i < files.length; i += FILES_PER_UPLOAD) {
      await client.filesUploadV2({
        channel_id: input.channel,
        thread_ts: threadTs,
        file_uploads: files.slice(i, i + FILES_PER_UPLOAD).map(asUpload),
      });
    }
    return { kind: 'uploaded', files: files.length, leftOut };
  } catch (err) {
    deps.logger.warn(`mesh-help: exporting the log failed in ${input.channel}: ${slackError(err)}`);
    return { kind: 'failed', error: slackError(err) };
  }
}

/** What the person who asked for an upload is told privately (nothing when it simply worked). */
export function uploadNotice(outcome: UploadOutcome): Message | undefined {
  const text = match(outcome)
    .with({ kind: 'uploaded' }, ({ leftOut }) =>
      leftOut
        ? `${count(leftOut, 'record')} from private channels or DMs ${pick(leftOut, 'was', 'were')} left out of this export; run it there to get them.`
        : undefined,
    )
    .with({ kind: 'empty' }, ({ leftOut }) =>
      leftOut
        ? `Every record of this team (${leftOut}) was made in a private channel or DM, so none is exported here; run the export there.`
        : `No decisions to export yet. \`${COMMAND} start\` begins an interview; accepting its recommendation records the first one.`,
    )
    .with({ kind: 'failed' }, ({ error }) =>
      error === 'not_in_channel' || error === 'channel_not_found'
        ? 'I can’t upload files in this channel yet. Invite me with `/invite @mesh-help`, then try again.'
        : `The upload failed: ${plainSlackProblem(error)}. \`npx mesh-help export --out docs/decisions\` on the machine that runs the bot writes the same files.`,
    )
    .exhaustive();
  return text ? { text, blocks: [section(text)] } : undefined;
}

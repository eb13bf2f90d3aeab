import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { readThread } from '../../use-cases/from-thread.js';
import { startInterview } from '../../use-cases/interview.js';
import { startNotice } from '../../use-cases/resume.js';
import { notInChannelHint } from '../commands/mesh-help.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** The parts of a message shortcut the bot reads, checked at the boundary. */
const ShortcutBody = z.object({
  type: z.literal('message_action'),
  message_ts: z.string(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }),
  user: z.looseObject({ id: z.string(), team_id: z.string().optional() }),
  channel: z.looseObject({ id: z.string() }),
  team: z.looseObject({ id: z.string() }).nullable().optional(),
});

/**
 * "Start a mesh decision" on a message: the interview runs in that message's
 * thread, with what people already said there kept as its discussion.
 */
export function startFromThread(deps: SlackDeps) {
  return async ({ ack, shortcut, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = ShortcutBody.safeParse(shortcut);
    if (!parsed.success) {
      deps.logger.warn(`mesh-help: malformed message shortcut: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const s = parsed.data;
    const tell = (text: string) => respond({ response_type: 'ephemeral', ...noticeMessage(text) });
    const channel = s.channel.id;
    if (!/^[CG]/.test(channel)) {
      await tell('Interviews run in channels: use this shortcut on a message in a channel I am invited to.');
      return;
    }
    const teamId = s.team?.id ?? context.teamId ?? s.user.team_id;
    if (!teamId) return;
    const threadTs = s.message.thread_ts ?? s.message.ts;
    const existing = await deps.store.read(teamId);
    if (existing.sessions.some((x) => x.channel === channel && x.threadTs === threadTs)) {
      await tell('An interview already runs in this thread. Answer it there, or start a new one elsewhere.');
      return;
    }
    let thread: Awaited<ReturnType<typeof readThread>>;
    try {
      thread = await readThread(client, channel, threadTs);
    } catch (err) {
      await tell(notInChannelHint(slackError(err)));
      return;
    }
    const started = await startInterview(deps, client, {
      teamId,
      channel,
      user: s.user.id,
      title: thread.title,
      thread: { ts: threadTs, replies: thread.replies },
    });
    // The same private notes as /mesh-help start: not in the channel, or the channel's open-interview bound reached.
    const notice = startNotice(started, teamId);
    if (notice) await respond({ response_type: 'ephemeral', ...notice });
  };
}

import { z } from 'zod';

/** The parts of Slack payloads the bot reads, validated at the boundary (everything else is ignored). */

const Id = z.string().min(1).max(64);
const Ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'a Slack message ts');

export const CommandBody = z.object({
  team_id: Id,
  user_id: Id,
  channel_id: Id,
  text: z.string().max(4000).default(''),
  trigger_id: z.string().optional(),
});
export type CommandBody = z.infer<typeof CommandBody>;

const SelectedOption = z.object({ value: z.string() });

/** Who acted; `name`/`username` are the handle Slack sends with interactions (no users:read needed). */
const Actor = z.object({
  id: Id,
  team_id: Id.optional(),
  name: z.string().max(80).optional(),
  username: z.string().max(80).optional(),
});

export const BlockActionBody = z.object({
  type: z.literal('block_actions'),
  user: Actor,
  team: z.object({ id: Id }).nullable().optional(),
  channel: z.object({ id: Id }).optional(),
  container: z
    .object({
      channel_id: Id.optional(),
      message_ts: Ts.optional(),
      thread_ts: Ts.optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  message: z.object({ ts: Ts, thread_ts: Ts.optional() }).optional(),
  trigger_id: z.string().optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.string().max(2000).optional(),
        selected_options: z.array(SelectedOption).optional(),
        /** A static select's choice (the decision card's Export menu). */
        selected_option: SelectedOption.optional(),
      }),
    )
    .min(1),
  state: z
    .object({
      values: z.record(
        z.string(),
        z.record(z.string(), z.object({ type: z.string(), selected_options: z.array(SelectedOption).optional() })),
      ),
    })
    .optional(),
});
export type BlockActionBody = z.infer<typeof BlockActionBody>;

/** Where a clicked message lives: its channel, its ts and the thread it is in. */
export type MessageRef = { channel: string; ts: string; threadTs: string };

export function messageRef(body: BlockActionBody): MessageRef | undefined {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!channel || !ts) return undefined;
  return { channel, ts, threadTs: body.message?.thread_ts ?? body.container?.thread_ts ?? ts };
}

/** The acting person's handle, kept beside their id so records and ADRs read as names. */
export const userNameOf = (body: { user: { name?: string | undefined; username?: string | undefined } }) =>
  body.user.username ?? body.user.name;

/** The clicking person's own team: in a shared channel it differs from the session's team. */
export const userTeamOf = (body: {
  user: { team_id?: string | undefined };
  team?: { id: string } | null | undefined;
}) => body.user.team_id ?? body.team?.id;

export const ViewSubmissionBody = z.object({
  type: z.literal('view_submission'),
  user: Actor,
  team: z.object({ id: Id }).nullable().optional(),
  trigger_id: z.string().optional(),
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z.object({
            type: z.string(),
            value: z.string().nullable().optional(),
            selected_conversation: z.string().nullable().optional(),
            selected_options: z.array(SelectedOption).optional(),
            selected_date: z.string().nullable().optional(),
            selected_users: z.array(z.string()).optional(),
            selected_option: SelectedOption.nullable().optional(),
          }),
        ),
      ),
    }),
  }),
});
export type ViewSubmissionBody = z.infer<typeof ViewSubmissionBody>;

export const HomeOpenedEvent = z.object({
  type: z.literal('app_home_opened'),
  user: Id,
  tab: z.string().optional(),
});

export const EventEnvelope = z.object({ team_id: Id.optional(), event_id: z.string().optional() });

const Text = z.string().max(40_000).default('');
/** Who wrote a message: a person has `user`; bots (this one included) carry `bot_id`. */
const Author = { user: Id.optional(), bot_id: z.string().optional() };

/** A message posted in a channel; only subtypes a person makes are read (others fail to parse and are ignored). */
export const PostedMessage = z.object({
  type: z.literal('message'),
  subtype: z.enum(['thread_broadcast', 'file_share']).optional(),
  channel: Id,
  ts: Ts,
  thread_ts: Ts.optional(),
  text: Text,
  ...Author,
});

/** `message_changed`: the edited message as it now reads. */
export const ChangedMessage = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_changed'),
  channel: Id,
  message: z.object({
    subtype: z.string().optional(),
    ts: Ts,
    thread_ts: Ts.optional(),
    text: Text,
    edited: z.object({ ts: Ts }).optional(),
    ...Author,
  }),
});

/** `message_deleted`: which message went, and the thread it was in. */
export const DeletedMessage = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_deleted'),
  channel: Id,
  deleted_ts: Ts,
  previous_message: z.object({ thread_ts: Ts.optional(), ...Author }).optional(),
});

export const MentionEvent = z.object({
  type: z.literal('app_mention'),
  channel: Id,
  ts: Ts,
  thread_ts: Ts.optional(),
  text: Text,
  ...Author,
});

/** The recommendation card a modal was opened from; round-trips through private_metadata and is re-checked on submit. */
export const CardTarget = z.object({
  teamId: Id,
  channel: Id,
  threadTs: Ts,
  cardTs: Ts,
});
export type CardTarget = z.infer<typeof CardTarget>;

/** Reads a modal's private_metadata back; undefined when it is not a card target (an old or forged form). */
export function parseCardTarget(raw: string | undefined): CardTarget | undefined {
  try {
    const parsed = CardTarget.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

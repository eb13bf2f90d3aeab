import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Message } from '../../blocks/kit.js';
import { BlockActionBody, type MessageRef, messageRef, userNameOf, userTeamOf } from '../../payloads.js';
import { candidatesOf } from '../../runtime/middleware.js';
import { tellPrivately } from '../../runtime/reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A click on a button of a bot message, read and checked at the boundary. */
export type Click = {
  body: BlockActionBody;
  at: MessageRef;
  user: string;
  userName: string | undefined;
  /** The clicking person's own team (another one in a Slack Connect channel). */
  userTeam: string | undefined;
  /** Teams whose data the clicked message may belong to, most likely first. */
  candidates: (string | undefined)[];
  /** The button's value (or a select's chosen option), when it has one. */
  value: string | undefined;
};

/**
 * The common shape of a button listener: ack, read the click (ignore anything
 * that is not a valid click on a message), handle it, and tell the person
 * privately whatever the handler returns.
 */
export function onClick(handle: (click: Click, client: WebClient) => Promise<Message | undefined>) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at) return;
    const b = parsed.data;
    const notice = await handle(
      {
        body: b,
        at,
        user: b.user.id,
        userName: userNameOf(b),
        userTeam: userTeamOf(b),
        candidates: candidatesOf(context),
        value: b.actions[0]?.value ?? b.actions[0]?.selected_option?.value,
      },
      client,
    );
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}

import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Decision, TeamDoc } from '../../../store/index.js';
import { findByKey } from '../../../team/lookup.js';
import type { Message } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import { parseRecordRef } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import { BlockActionBody, type MessageRef, messageRef, userNameOf, userTeamOf } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
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

/** A click on a button whose value names a record (`TEAM:NUMBER`), by a person of that record's team. */
export type RecordClick = Click & {
  ref: { teamId: string; number: number };
  doc: TeamDoc;
  /** The record, when it still exists. */
  decision: Decision | undefined;
};

/**
 * A record button's listener (revisit reminders, drift notices): reads the
 * record the button names and refuses a person of another team, then handles
 * the click like any other (`onClick`).
 */
export function onRecordClick(
  deps: SlackDeps,
  handle: (click: RecordClick, client: WebClient) => Promise<Message | undefined>,
) {
  return onClick(async (c, client) => {
    const ref = parseRecordRef(c.value);
    if (!ref) return undefined;
    if (c.userTeam !== ref.teamId) return noticeMessage(FOREIGN_TEAM);
    const doc = await deps.store.read(ref.teamId);
    const decision = findByKey(doc.decisions, (x) => x.number === ref.number);
    return handle({ ...c, ref, doc, decision }, client);
  });
}

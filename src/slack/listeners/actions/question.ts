import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AnswerValue } from '../../../engine/flow.js';
import { noticeMessage } from '../../blocks/menu.js';
import { ANSWER_ACTION, CONFIRM_ACTION, questionOfBlockId } from '../../ids.js';
import { answerNotice, askAgainNotice } from '../../notices/outcomes.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { candidatesOf } from '../../runtime/middleware.js';
import { tellPrivately } from '../../runtime/reply.js';
import { answerFromSlack, askAgainFromSlack } from '../../use-cases/interview.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The value a click carries: one option id for a button, the ticked boxes for a confirm. */
function chosenValue(
  body: BlockActionBody,
  blockId: string,
): { value: AnswerValue; rev: number } | 'nothing-ticked' | undefined {
  const action = body.actions[0];
  if (!action) return undefined;
  const single = ANSWER_ACTION.exec(action.action_id);
  if (single) {
    // The option id is in both the action id and the value; they must agree.
    if (!action.value || action.value !== single[2]) return undefined;
    return { value: action.value, rev: Number(single[1]) };
  }
  const confirm = CONFIRM_ACTION.exec(action.action_id);
  if (!confirm) return undefined;
  const block = body.state?.values[blockId] ?? {};
  const boxes = Object.values(block).find((v) => v.type === 'checkboxes');
  const ticked = boxes?.selected_options?.map((o) => o.value) ?? [];
  if (!ticked.length) return 'nothing-ticked';
  return { value: ticked, rev: Number(confirm[1]) };
}

/** A click on a question's choice (button) or its confirm button (checkboxes). */
export function answerAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn(`mesh-help: malformed answer click: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const b = parsed.data;
    const blockId = b.actions[0]?.block_id ?? '';
    const question = questionOfBlockId(blockId);
    const at = messageRef(b);
    const picked = chosenValue(b, blockId);
    if (!question || !at || !picked) return;
    const privately = { channel: at.channel, user: b.user.id, threadTs: at.threadTs };
    if (picked === 'nothing-ticked') {
      await tellPrivately(
        client,
        respond,
        privately,
        noticeMessage('Tick at least one box (or “None of these”), then confirm.'),
      );
      return;
    }
    const outcome = await answerFromSlack(deps, client, {
      at,
      question,
      value: picked.value,
      seenRev: picked.rev,
      user: b.user.id,
      userTeam: userTeamOf(b),
      candidates: candidatesOf(context),
      request: b.trigger_id,
    });
    const notice = answerNotice(deps.flow, question, outcome);
    if (notice) await tellPrivately(client, respond, privately, notice);
  };
}

/** Ticking a box records nothing: the confirm button does. */
export function pickAction() {
  return async ({ ack }: Args): Promise<void> => {
    await ack();
  };
}

/** "Change an answer" on the interview message: the chosen question is shown again for anyone to answer. */
export function changeAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn(`mesh-help: malformed change click: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const b = parsed.data;
    const at = messageRef(b);
    const question = b.actions[0]?.selected_option?.value;
    if (!at || !question || !deps.flow.questionById.has(question)) return;
    const outcome = await askAgainFromSlack(deps, client, {
      at,
      question,
      user: b.user.id,
      userTeam: userTeamOf(b),
      candidates: candidatesOf(context),
    });
    const notice = askAgainNotice(outcome);
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}

import type { WebClient } from '@slack/web-api';
import type { Recommendation } from '../engine/recommend.js';
import type { Session, TeamDoc } from '../store/index.js';
import { findByKey } from '../team/lookup.js';
import { privateConversation } from '../team/visibility.js';
import { approvalsNeeded } from './accept.js';
import { withDeadline } from './blocks/deadline.js';
import { decisionCardMessage, supersededNotice } from './blocks/decision-card.js';
import { questionMessage } from './blocks/question.js';
import { type CardInput, type CardState, recommendationMessage } from './blocks/recommendation.js';
import { rootMessage } from './blocks/root.js';
import { postChecklist, refreshChecklist, retireChecklist } from './checklist-messages.js';
import { claimMetadata, postedClaim } from './claims.js';
import type { SlackDeps } from './context.js';
import { COMMAND } from './ids.js';
import { resumeMessage } from './resume.js';
import { announce, type CardCopy, refreshCards, rememberCards } from './status-changes.js';

/** The Slack calls one change needs; every message is rendered from the stored state when the call runs. */
export type Plan = {
  teamId: string;
  sessionId: string;
  channel: string;
  threadTs: string;
  /** Question messages to re-render (the answered one). */
  refresh: string[];
  /** Question messages whose question no longer applies. */
  retire: { question: string; ts: string }[];
  /** The next question, claimed by this request (`recover`: a claim it made before a crash; look before posting). */
  postQuestion?: { question: string; claim: string; recover?: boolean };
  /** A new recommendation card, claimed by this request (`recover` as for postQuestion). */
  postCard?: { claim: string; recover?: boolean };
  /** An older card that must stop taking decisions. */
  retireCard?: string;
  /** A card to re-render after a decision. */
  refreshCard?: string;
  /** A readiness checklist message to re-render after a tick. */
  refreshChecklist?: string;
  /** Re-render the root message's status. */
  root: boolean;
  /** The record just accepted: post its decision card (thread + channel, and the decisions channel). */
  postDecisionCard?: number;
  /** Who caused the change: told privately when a message this plan had to post could not be posted. */
  actor?: string;
};

/** A plan for one session's thread that changes nothing until `extra` says what to post or re-render. */
export function planFor(
  teamId: string,
  sessionId: string,
  where: { channel: string; threadTs: string },
  extra: Partial<Omit<Plan, 'teamId' | 'sessionId' | 'channel' | 'threadTs'>> = {},
): Plan {
  return {
    teamId,
    sessionId,
    channel: where.channel,
    threadTs: where.threadTs,
    refresh: [],
    retire: [],
    root: false,
    ...extra,
  };
}

type Loaded = { doc: TeamDoc; session: Session };

async function load(deps: SlackDeps, plan: Plan): Promise<Loaded | undefined> {
  const doc = await deps.store.read(plan.teamId);
  const session = findByKey(doc.sessions, (s) => s.id === plan.sessionId);
  return session ? { doc, session } : undefined;
}

const decisionOf = ({ doc, session }: Loaded) =>
  session.decisionNumber ? findByKey(doc.decisions, (d) => d.number === session.decisionNumber) : undefined;

function cardState(loaded: Loaded, ts: string): CardState {
  const decision = decisionOf(loaded);
  if (decision && loaded.session.status === 'decided' && loaded.session.cardTs === ts)
    return { kind: 'decided', decision };
  return loaded.session.cardTs === ts && loaded.session.status === 'complete'
    ? { kind: 'active' }
    : { kind: 'superseded' };
}

/** A recommendation card's input: the session, its recommendation and the team's approval rule. */
const cardInput = (loaded: Loaded, rec: Recommendation): CardInput => ({
  ...loaded.session,
  recommendation: rec,
  approvalsNeeded: approvalsNeeded(loaded.doc),
});

/** The deadline part of an active card: this session's deadline and the team's required approvers. */
const deadlineView = (loaded: Loaded) => ({
  deadline: loaded.session.deadline,
  approvers: loaded.doc.config.approvers,
});

/** Fills a claimed slot with the posted ts; false when the claim was dropped meanwhile (the question stopped applying). */
async function fillClaim(
  deps: SlackDeps,
  plan: Plan,
  slot: (s: Session) => { get: () => string | undefined; set: (ts: string | undefined) => void },
  claim: string,
  ts: string | undefined,
): Promise<boolean> {
  return deps.store.update(plan.teamId, (doc) => {
    const s = findByKey(doc.sessions, (x) => x.id === plan.sessionId);
    if (!s) return false;
    const { get, set } = slot(s);
    if (get() !== claim) return false;
    set(ts);
    return true;
  });
}

const questionSlot = (question: string) => (s: Session) => ({
  get: () => s.messages[question],
  set: (ts: string | undefined) => {
    if (ts) s.messages[question] = ts;
    else delete s.messages[question];
  },
});
const cardSlot = (s: Session) => ({
  get: () => s.cardTs,
  set: (ts: string | undefined) => {
    if (ts) s.cardTs = ts;
    else delete s.cardTs;
  },
});

/** Runs a plan against the Web API. A failed call is logged and the rest still runs. */
export async function runPlan(deps: SlackDeps, client: WebClient, plan: Plan): Promise<void> {
  const { flow, logger } = deps;
  const { channel, threadTs } = plan;
  const attempt = async (what: string, call: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call();
      return true;
    } catch (err) {
      logger.warn(`mesh-help: ${what} failed in ${channel}: ${(err as Error).message}`);
      return false;
    }
  };
  let loaded = await load(deps, plan);
  if (!loaded) return;

  for (const question of plan.refresh) {
    const ts = loaded.session.messages[question];
    if (!ts || ts.startsWith('pending:')) continue;
    const msg = questionMessage(flow, loaded.session, question);
    await attempt(`updating question ${question}`, () => client.chat.update({ channel, ts, ...msg }));
  }
  for (const { question, ts } of plan.retire) {
    const msg = questionMessage(flow, loaded.session, question);
    await attempt(`retiring question ${question}`, () => client.chat.update({ channel, ts, ...msg }));
  }
  /** A post that failed leaves its slot free, so the next click on the last answer posts it again. */
  const tellActor = async (what: string) => {
    if (!plan.actor) return;
    const user = plan.actor;
    const text = `Your answers are saved, but Slack would not take ${what} just now. Click *Resume it* (or your last answer again, or run \`${COMMAND} resume\` here) to post it.`;
    await attempt('telling the user a step failed', () =>
      client.chat.postEphemeral({
        channel,
        user,
        thread_ts: threadTs,
        ...resumeMessage(text, plan.teamId, { id: plan.sessionId }),
      }),
    );
  };
  if (plan.postQuestion) {
    const { question, claim, recover } = plan.postQuestion;
    const msg = questionMessage(flow, loaded.session, question);
    let ts: string | undefined;
    const posted = await attempt(`posting question ${question}`, async () => {
      // After a crash between post and mark, the question may be in the thread already.
      if (recover) ts = await postedClaim(client, channel, threadTs, claim);
      ts ??= (await client.chat.postMessage({ channel, thread_ts: threadTs, ...msg, ...claimMetadata(claim) })).ts;
    });
    const kept = await fillClaim(deps, plan, questionSlot(question), claim, ts);
    if (!posted) await tellActor('the next question');
    if (!kept && ts) {
      // Someone changed an earlier answer while this was being posted: the question no longer applies.
      loaded = (await load(deps, plan)) ?? loaded;
      const retired = questionMessage(flow, loaded.session, question);
      const postedTs = ts;
      await attempt(`retiring question ${question}`, () => client.chat.update({ channel, ts: postedTs, ...retired }));
    }
  }
  if (plan.retireCard) {
    const ts = plan.retireCard;
    loaded = (await load(deps, plan)) ?? loaded;
    const rec = loaded.session.recommendation;
    if (rec) {
      const msg = recommendationMessage(flow, { ...loaded.session, recommendation: rec }, { kind: 'superseded' });
      await attempt('retiring a recommendation card', () => client.chat.update({ channel, ts, ...msg }));
    } else {
      await attempt('retiring a recommendation card', () =>
        client.chat.update({
          channel,
          ts,
          text: 'An answer changed, so this recommendation no longer holds.',
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: ':arrows_counterclockwise: An answer changed, so this recommendation no longer holds. The interview goes on below.',
              },
            },
          ],
        }),
      );
    }
    // The retired card's checklist goes with it.
    await retireChecklist(deps, client, plan, attempt);
  }
  if (plan.postCard) {
    const { claim, recover } = plan.postCard;
    loaded = (await load(deps, plan)) ?? loaded;
    const rec = loaded.session.recommendation;
    let ts: string | undefined;
    if (rec && loaded.session.cardTs === claim) {
      const msg = withDeadline(
        recommendationMessage(flow, cardInput(loaded, rec), { kind: 'active' }),
        deadlineView(loaded),
      );
      // Broadcast: the recommendation shows in the channel as well as the thread.
      await attempt('posting the recommendation', async () => {
        if (recover) ts = await postedClaim(client, channel, threadTs, claim);
        ts ??= (
          await client.chat.postMessage({
            channel,
            thread_ts: threadTs,
            reply_broadcast: true,
            ...msg,
            ...claimMetadata(claim),
          })
        ).ts;
      });
    }
    const kept = await fillClaim(deps, plan, cardSlot, claim, ts);
    if (rec && ts === undefined) await tellActor('the recommendation');
    // The readiness checklist goes right under the card it belongs to.
    if (kept && ts) await postChecklist(deps, client, plan, ts, attempt);
    if (!kept && ts) {
      loaded = (await load(deps, plan)) ?? loaded;
      const current = loaded.session.recommendation ?? rec;
      if (current) {
        const msg = recommendationMessage(flow, { ...loaded.session, recommendation: current }, { kind: 'superseded' });
        const postedTs = ts;
        await attempt('retiring a recommendation card', () => client.chat.update({ channel, ts: postedTs, ...msg }));
      }
    }
  }
  if (plan.refreshCard) {
    const ts = plan.refreshCard;
    loaded = (await load(deps, plan)) ?? loaded;
    const rec = loaded.session.recommendation;
    if (rec) {
      const state = cardState(loaded, ts);
      const card = recommendationMessage(flow, cardInput(loaded, rec), state);
      const msg = state.kind === 'active' ? withDeadline(card, deadlineView(loaded)) : card;
      await attempt('updating the recommendation card', () => client.chat.update({ channel, ts, ...msg }));
    }
  }
  if (plan.refreshChecklist) await refreshChecklist(deps, client, plan, plan.refreshChecklist, attempt);
  if (plan.root) {
    loaded = (await load(deps, plan)) ?? loaded;
    const msg = rootMessage(flow, loaded.session, decisionOf(loaded));
    const rootTs = loaded.session.rootTs ?? threadTs;
    await attempt('updating the root message', () => client.chat.update({ channel, ts: rootTs, ...msg }));
  }
  if (plan.postDecisionCard !== undefined) await postDecisionCard(deps, client, plan, plan.postDecisionCard, attempt);
}

/**
 * The accepted record's card: a thread reply broadcast to the channel, a copy
 * in the team's decisions channel when one is set, and a note in the thread of
 * the record it supersedes.
 */
async function postDecisionCard(
  deps: SlackDeps,
  client: WebClient,
  plan: Plan,
  number: number,
  attempt: (what: string, call: () => Promise<unknown>) => Promise<boolean>,
): Promise<void> {
  const doc = await deps.store.read(plan.teamId);
  const decision = findByKey(doc.decisions, (d) => d.number === number);
  if (!decision) return;
  const msg = decisionCardMessage(deps.flow, decision, { teamId: plan.teamId, decisions: doc.decisions });
  const { channel, threadTs } = plan;
  // A reopened record accepted again: the copies posted the first time show its new status too.
  if (decision.cards?.length) await refreshCards(deps, client, plan.teamId, number);
  const copies: CardCopy[] = [];
  await attempt('posting the decision card', async () => {
    const posted = await client.chat.postMessage({ channel, thread_ts: threadTs, reply_broadcast: true, ...msg });
    if (posted.ts) copies.push({ channel, ts: posted.ts });
  });
  const elsewhere = doc.config.decisionsChannel;
  // A record made in a private conversation stays there: its card is not copied to the decisions channel.
  if (elsewhere && elsewhere !== channel && privateConversation(decision) === undefined) {
    await attempt(`posting the decision card in ${elsewhere}`, async () => {
      const posted = await client.chat.postMessage({ channel: elsewhere, ...msg });
      if (posted.ts) copies.push({ channel: elsewhere, ts: posted.ts });
    });
  }
  // Where the copies are, so a later status change (reopen, deprecate, supersede) updates each of them.
  await rememberCards(deps, plan.teamId, number, copies);
  if (decision.status === 'accepted')
    await announce(deps, client, plan.teamId, number, {
      kind: 'accepted',
      actor: decision.decidedBy ?? decision.createdBy,
    });
  const old = decision.supersedes ? findByKey(doc.decisions, (d) => d.number === decision.supersedes) : undefined;
  if (old?.supersededBy === decision.number && old.channel && old.threadTs) {
    const { channel: oldChannel, threadTs: oldThread } = old;
    await attempt('noting the supersede in the old thread', () =>
      client.chat.postMessage({
        channel: oldChannel,
        thread_ts: oldThread,
        ...supersededNotice(deps.flow, old, decision),
      }),
    );
  }
  if (old?.supersededBy === decision.number) {
    await refreshCards(deps, client, plan.teamId, old.number);
    await announce(deps, client, plan.teamId, old.number, { kind: 'superseded', by: decision });
  }
}

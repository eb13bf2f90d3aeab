import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { match } from 'ts-pattern';
import { assertTeamId } from '../../../store/index.js';
import { findByKey } from '../../../team/lookup.js';
import { comparisonMessage } from '../../blocks/comparison.js';
import type { Message } from '../../blocks/kit.js';
import { helpMessage, noticeMessage } from '../../blocks/menu.js';
import { summaryMessage } from '../../blocks/summary.js';
import { escapeText } from '../../escape.js';
import { COMMAND } from '../../ids.js';
import { EventEnvelope, MentionEvent } from '../../payloads.js';
import { postedUnder } from '../../runtime/claims.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { claimMention, MENTION_EVENT, markMentionPosted } from '../../runtime/mention-once.js';
import { candidatesOf } from '../../runtime/middleware.js';
import { tellPrivately } from '../../runtime/reply.js';
import { discussionOf, unescapeSlack } from '../../use-cases/discussion.js';
import { locate } from '../../use-cases/interview.js';
import { parseCommand, suggest } from '../commands/parse.js';

type Args = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

export const THREAD_HELP = `In an interview thread, mention me with \`summary\` (the discussion so far), \`compare pattern pattern\` or \`help\`.`;
export const OUTSIDE_THREAD = `I answer mentions inside an interview thread. Start one with \`${COMMAND} start\`, or type \`${COMMAND} help\`.`;

/** What `@mesh-help …` asked for, with the mention itself taken out. */
export type MentionRequest =
  | { kind: 'summary' }
  | { kind: 'compare'; patterns: string[] }
  | { kind: 'help' }
  | { kind: 'other' };

export function parseMention(text: string): MentionRequest {
  const words = unescapeSlack(text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')).trim();
  if (/^summar(y|ise|ize)\b/i.test(words)) return { kind: 'summary' };
  return match(parseCommand(words))
    .with({ kind: 'compare' }, (c): MentionRequest => ({ kind: 'compare', patterns: c.patterns }))
    .with({ kind: 'help' }, { kind: 'menu' }, (): MentionRequest => ({ kind: 'help' }))
    .with(
      { kind: 'start' },
      { kind: 'decisions' },
      { kind: 'export' },
      { kind: 'config' },
      { kind: 'resume' },
      { kind: 'unknown' },
      (): MentionRequest => ({
        kind: 'other',
      }),
    )
    .exhaustive();
}

/** The compare answer, or which names were not understood. */
function compareAnswer(deps: SlackDeps, patterns: string[]): Message {
  const known = deps.flow.patterns.map((p) => p.id);
  const unknown = patterns.filter((p) => !known.includes(p));
  if (!unknown.length) return comparisonMessage(deps.flow, [...new Set(patterns)]);
  const hints = unknown.map((u) => {
    const s = suggest(u, known);
    return `\`${escapeText(u.slice(0, 40))}\`${s ? ` (did you mean \`${s}\`?)` : ''}`;
  });
  return noticeMessage(`I don’t know ${hints.join(', ')}. Patterns: ${known.map((k) => `\`${k}\``).join(', ')}.`);
}

/** Posts the answer marked with its event (unless a replay finds it in the thread already); true once it is there. */
async function post(
  deps: SlackDeps,
  client: WebClient,
  at: { channel: string; threadTs: string; eventId: string; recover: boolean },
  msg: Message,
): Promise<boolean> {
  const { channel, threadTs, eventId } = at;
  try {
    const there = at.recover
      ? await postedUnder(client, channel, threadTs, (p) => p.event_id === eventId, MENTION_EVENT)
      : undefined;
    if (there) return true;
    await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      ...msg,
      metadata: { event_type: MENTION_EVENT, event_payload: { event_id: eventId } },
    });
    return true;
  } catch (err) {
    deps.logger.warn(`mesh-help: could not answer a mention in ${channel}: ${slackError(err)}`);
    return false;
  }
}

/**
 * `@mesh-help summary | compare X Y | help` inside an interview thread is
 * answered in that thread, once per event: the answer is claimed in the
 * store, posted with the event id in its metadata, and marked posted, so a
 * retry is dropped and a replay after a crash posts it only if the thread
 * does not have it yet. Anywhere else the person gets a private pointer to
 * the slash command (at most once).
 */
export function appMention(deps: SlackDeps) {
  return async ({ event, body, context, client }: Args): Promise<void> => {
    const parsed = MentionEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    const eventId = envelope.success ? envelope.data.event_id : undefined;
    if (!parsed.success || !eventId || parsed.data.bot_id || !parsed.data.user) return;
    const m = parsed.data;
    const user = m.user ?? '';
    const envelopeTeam = envelope.success ? envelope.data.team_id : undefined;
    const release = await deps.work.acquire();
    try {
      const found = m.thread_ts ? await locate(deps, candidatesOf(context), m.channel, m.thread_ts) : undefined;
      const teamId = found?.teamId ?? envelopeTeam ?? context.teamId;
      if (!teamId) return;
      try {
        assertTeamId(teamId);
      } catch {
        return;
      }
      const claim = await deps.store.update(teamId, (doc) => claimMention(doc, eventId));
      if (claim === 'skip') return;
      if (!found || !m.thread_ts) {
        // A private pointer cannot be looked for afterwards: sent at most once.
        if (claim === 'recover') return;
        await tellPrivately(
          client,
          undefined,
          { channel: m.channel, user, threadTs: m.thread_ts },
          noticeMessage(OUTSIDE_THREAD),
        ).catch((err) => deps.logger.warn(`mesh-help: could not answer a mention: ${slackError(err)}`));
        return;
      }
      const threadTs = m.thread_ts;
      const answer = await match(parseMention(m.text))
        .with({ kind: 'summary' }, async () => {
          const doc = await deps.store.read(found.teamId);
          const session = findByKey(doc.sessions, (s) => s.id === found.session.id) ?? found.session;
          return summaryMessage(deps.flow, discussionOf(doc, session));
        })
        .with({ kind: 'compare' }, async (r) => compareAnswer(deps, r.patterns))
        .with({ kind: 'help' }, async () => {
          const help = helpMessage(deps.flow);
          return { ...help, blocks: [...help.blocks, ...noticeMessage(THREAD_HELP).blocks] };
        })
        .with({ kind: 'other' }, async () => noticeMessage(THREAD_HELP))
        .exhaustive();
      const at = { channel: m.channel, threadTs, eventId, recover: claim === 'recover' };
      if (await post(deps, client, at, answer)) await markMentionPosted(deps, found.teamId, eventId);
    } finally {
      release();
    }
  };
}

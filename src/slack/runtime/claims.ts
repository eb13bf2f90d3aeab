import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

import { keyed, type RequestRef, safeRequestId } from '../../domain/claims.js';

/** Message metadata that carries the claim a message was posted under. */
export const CLAIM_EVENT = 'mesh_help_claim';

/** Names this process: a claim made under another boot was left by a process that stopped. */
export const BOOT = randomUUID().slice(0, 8);

/**
 * Requests this process is replaying from its own journal. Only those may take over a claim another boot made
 * under their id: the same request delivered fresh to a second live replica (a retry, a duplicate) must not.
 */
const replaying = new Set<string>();

/** The identity a request's claims carry: Slack's trigger_id, or an event's event_id. */
export function requestIdOf(body: Record<string, unknown>): string | undefined {
  const id = body.trigger_id ?? body.event_id;
  return typeof id === 'string' && id ? id : undefined;
}

/** Marks a journal replay of `body` as under way; call the returned function when it has finished. */
export function replayingRequest(body: Record<string, unknown>): () => void {
  const id = requestIdOf(body);
  if (!id) return () => undefined;
  replaying.add(safeRequestId(id));
  return () => replaying.delete(safeRequestId(id));
}

/** Whether this process is replaying the request with this id from its journal. */
export const isReplaying = (request: string | undefined): boolean =>
  request !== undefined && replaying.has(safeRequestId(request));

/** A request id as the state machine sees it: with this process's boot and whether it is a journal replay. */
export const requestRef = (id: string | undefined): RequestRef | undefined =>
  id ? { id, boot: BOOT, replaying: isReplaying(id) } : undefined;

/** Metadata to post with a message under `claim`, so a replay can find it. */
export const claimMetadata = (claim: string) =>
  keyed(claim) ? { metadata: { event_type: CLAIM_EVENT, event_payload: { claim } } } : {};

const Messages = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
          .optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/**
 * The ts of a message posted under `claim` (found by its metadata) in a
 * thread, or in the channel's recent history when `threadTs` is undefined;
 * undefined when there is none. Throws when Slack cannot be read, so the
 * caller does not post blind.
 */
export async function postedUnder(
  client: WebClient,
  channel: string,
  threadTs: string | undefined,
  match: (payload: Record<string, unknown>) => boolean,
  eventType = CLAIM_EVENT,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const common = { channel, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const raw = threadTs
      ? await client.conversations.replies({ ...common, ts: threadTs })
      : await client.conversations.history(common);
    const parsed = Messages.safeParse(raw);
    if (!parsed.success) throw new Error('unreadable conversation answer');
    const hit = parsed.data.messages.find(
      (m) => m.metadata?.event_type === eventType && match(m.metadata.event_payload ?? {}),
    );
    if (hit) return hit.ts;
    cursor = parsed.data.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** The ts of the message posted under `claim`, if any. */
export const postedClaim = (client: WebClient, channel: string, threadTs: string | undefined, claim: string) =>
  postedUnder(client, channel, threadTs, (p) => p.claim === claim);

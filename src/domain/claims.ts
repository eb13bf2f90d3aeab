/**
 * A message slot (root, question, card) is claimed in the store by the
 * request that will post it: `pending:<when>` or, when the request has an
 * identity (Slack's trigger_id or event_id), `pending:<when>|<request>|<boot>`.
 * Another request may take a claim over once it is stale; the request that
 * made it may take it over at once when the process that made it has stopped
 * and this process replays that request from its journal, after looking in
 * Slack for the message it may have posted before the crash.
 *
 * Everything here is pure: the process facts a claim needs (which boot this
 * is, whether the request is a journal replay) come in with the request.
 */
export const PENDING = 'pending:';
export const CLAIM_TTL_MS = 30_000;

/** A request with an identity, as the state machine sees it. */
export type RequestRef = {
  /** Slack's trigger_id or event_id. */
  id: string;
  /** The process handling it (a claim made under another boot was left by a process that stopped). */
  boot: string;
  /** True when this process replays the request from its own journal after a crash. */
  replaying: boolean;
};

export const isPending = (ts: string | undefined): boolean => ts?.startsWith(PENDING) ?? false;

export const safeRequestId = (request: string) => request.replace(/[|\s]/g, '_').slice(0, 100);

/** A claim made now, by `request` when it has an identity. */
export const claimOf = (now: Date, request?: RequestRef | undefined): string =>
  `${PENDING}${now.toISOString()}${request ? `|${safeRequestId(request.id)}|${request.boot}` : ''}`;

type Parsed = { at: number; request?: string | undefined; boot?: string | undefined };
function parse(claim: string): Parsed {
  const [at = '', request, boot] = claim.slice(PENDING.length).split('|');
  return { at: Date.parse(at), request, boot };
}

/** A free slot, or a claim gone stale (its poster crashed and nobody replays it). */
export function claimable(ts: string | undefined, now: Date): boolean {
  if (ts === undefined) return true;
  if (!isPending(ts)) return false;
  return now.getTime() - parse(ts).at > CLAIM_TTL_MS;
}

/** A claim `request` made in a process that has stopped, and this process replays it: it finishes what it began. */
export function leftBy(ts: string | undefined, request: RequestRef | undefined): boolean {
  if (!ts || !request || !isPending(ts) || !request.replaying) return false;
  const p = parse(ts);
  return p.request === safeRequestId(request.id) && p.boot !== undefined && p.boot !== request.boot;
}

/** Whether a message posted under this claim is worth marking (only claims with a request can be looked for). */
export const keyed = (claim: string): boolean => parse(claim).request !== undefined;

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '@slack/bolt';
import type { Arrivals } from './work.js';

/** Slack's payloads are far below this; anything larger is refused before it is read. */
export const BODY_LIMIT = 64 * 1024;
/** How far in the future a request timestamp may be (clock skew), in seconds. */
export const FUTURE_SKEW_S = 60;
/** Slack's replay window: older signed requests are refused (Bolt checks that too). */
export const REPLAY_WINDOW_S = 5 * 60;
/** Signatures remembered at most; past it the oldest are forgotten first. */
const SEEN_MAX = 100_000;

/** A Slack workspace (T…) or Enterprise Grid organisation (E…) id. */
export const SLACK_TEAM_ID = /^[TE][A-Z0-9]{2,30}$/;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/** The bytes Bolt reads when a request was already buffered (see bolt's bufferIncomingMessage). */
type Buffered = IncomingMessage & { rawBody?: Buffer };

export type GateOptions = {
  signingSecret: string;
  /** Only POSTs to these paths are gated; health checks and other routes pass untouched. */
  endpoints: string[];
  logger: Logger;
  now?: () => number;
  bodyLimit?: number;
  /** Counts each gated request until it is answered, so that work after acks can let them go first. */
  arrivals?: Arrivals | undefined;
};

/**
 * Signed requests already seen inside the replay window. In memory: one
 * process refuses replays it saw itself; several replicas need this in a shared store.
 */
export class SeenSignatures {
  private readonly until = new Map<string, number>();

  /** True the first time a signature is seen; false for a replay inside the window. */
  first(signature: string, expiresAtS: number, nowS: number): boolean {
    for (const [sig, exp] of this.until) {
      if (exp > nowS && this.until.size < SEEN_MAX) break;
      this.until.delete(sig);
    }
    if (this.until.has(signature)) return false;
    this.until.set(signature, expiresAtS);
    return true;
  }
}

const refuse = (res: ServerResponse, status: number, close = false) => {
  res.writeHead(status, close ? { Connection: 'close' } : {});
  res.end();
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Reads the body up to `limit` bytes; undefined when it is (or turns out) larger. */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function signatureMatches(secret: string, ts: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex')}`,
    'utf8',
  );
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every team or enterprise id a payload names, wherever Slack puts one. */
export function teamIdsOf(body: Json): unknown[] {
  const event = isObj(body.event) ? body.event : {};
  const user = isObj(body.user) ? body.user : {};
  const auths = Array.isArray(body.authorizations) ? body.authorizations.filter(isObj) : [];
  return [
    body.team_id,
    body.enterprise_id,
    isObj(body.team) ? body.team.id : body.team,
    isObj(body.enterprise) ? body.enterprise.id : body.enterprise,
    user.team_id,
    event.team,
    event.user_team,
    event.source_team,
    ...auths.flatMap((a) => [a.team_id, a.enterprise_id]),
  ];
}

/** Absent, null or empty (Slack sends `enterprise_id=` outside Grid) is fine; anything else must be a Slack id. */
const badTeamId = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && SLACK_TEAM_ID.test(v));

/** A request that names a team id which is not a Slack id: answered 400 by the receiver (see http.ts). */
export class ForeignTeamId extends Error {
  constructor() {
    super('a team id in the request is not a Slack id');
    this.name = 'ForeignTeamId';
  }
}

type Processing = { processEvent(event: { body: unknown }): Promise<void> };

/**
 * Refuses, before anything else sees it (the intake, Bolt's client pools), a
 * request whose body names a team id that is not a Slack id: `__proto__` or
 * `../x` would otherwise reach code that indexes objects or paths by it. It
 * reads the body Bolt has already parsed, so nothing is parsed twice.
 */
export function refuseForeignTeamIds(app: Processing, logger: Logger): void {
  const process = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    const body = event.body;
    if (isObj(body) && teamIdsOf(body).some(badTeamId)) {
      logger.warn('mesh-help: refused a request whose team id is not a Slack id');
      throw new ForeignTeamId();
    }
    return process(event);
  };
}

/**
 * Screens Slack's requests before Bolt reads them, cheaply and in this order:
 * a body over the limit gets 413 without being buffered (Content-Length, then
 * bytes counted while reading); a timestamp in the future or more than five
 * minutes old, a missing or wrong signature get 401; an exact replay of a
 * request already seen gets an empty 200 and no effect. What passes is handed
 * to Bolt already buffered and verified: the receiver does not verify it
 * again (Bolt's own check computed the same HMAC a second time). Team ids are
 * checked once Bolt has parsed the body (refuseForeignTeamIds).
 */
export function gateRequests(next: Listener, options: GateOptions): Listener {
  const limit = options.bodyLimit ?? BODY_LIMIT;
  const now = options.now ?? Date.now;
  const seen = new SeenSignatures();
  const { logger } = options;

  const screen = async (req: Buffered, res: ServerResponse): Promise<void> => {
    const declared = Number(header(req, 'content-length') ?? Number.NaN);
    if (declared > limit) {
      logger.warn(`mesh-help: refused a ${declared}-byte request (limit ${limit})`);
      refuse(res, 413, true);
      return;
    }
    const nowS = Math.floor(now() / 1000);
    const ts = header(req, 'x-slack-request-timestamp') ?? '';
    const tsS = /^\d{1,12}$/.test(ts) ? Number(ts) : Number.NaN;
    if (tsS > nowS + FUTURE_SKEW_S) {
      // A future timestamp would outlive the replay window; stale and missing ones Bolt refuses (ssl_check has none).
      logger.warn('mesh-help: refused a request whose timestamp is in the future');
      refuse(res, 401, true);
      return;
    }
    const body = await readLimited(req, limit);
    if (!body) {
      logger.warn(`mesh-help: refused a request over ${limit} bytes`);
      refuse(res, 413, true);
      return;
    }
    req.rawBody = body;
    const contentType = header(req, 'content-type');
    // Slack's ssl_check is unsigned; Bolt answers it and strips anything else from it.
    // Parsed only when the key is there at all: a click's form is parsed once, by Bolt.
    const sslCheck =
      contentType?.startsWith('application/x-www-form-urlencoded') &&
      body.includes('ssl_check=') &&
      parseQuery(body.toString()).ssl_check === '1';
    if (sslCheck) return next(req, res);
    const signature = header(req, 'x-slack-signature') ?? '';
    if (!Number.isFinite(tsS) || !signatureMatches(options.signingSecret, ts, body, signature)) {
      logger.warn('mesh-help: refused a request whose signature does not match (not from Slack, or changed)');
      refuse(res, 401);
      return;
    }
    if (tsS < nowS - REPLAY_WINDOW_S) {
      logger.warn('mesh-help: refused a signed request more than five minutes old');
      refuse(res, 401);
      return;
    }
    if (!seen.first(signature, tsS + REPLAY_WINDOW_S + FUTURE_SKEW_S, nowS)) {
      logger.warn('mesh-help: ignored an exact replay of a signed request');
      refuse(res, 200);
      return;
    }
    next(req, res);
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || !options.endpoints.includes(path)) return next(req, res);
    options.arrivals?.track(res);
    screen(req, res).catch((err: unknown) => {
      logger.warn(`mesh-help: could not read a request: ${(err as Error).message}`);
      if (!res.headersSent) refuse(res, 400, true);
      else res.end();
    });
  };
}

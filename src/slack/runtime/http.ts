import type { ServerResponse } from 'node:http';
import {
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  type InstallationStore,
  type Logger,
  type Receiver,
  SocketModeReceiver,
} from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { match } from 'ts-pattern';
import type { Config } from '../../config.js';
import type { StoreHealth } from '../../store/health.js';
import { RefusedBeforeAck } from './intake.js';
import { BODY_LIMIT, ForeignTeamId, gateRequests } from './request-gate.js';
import { BOT_SCOPES } from './scopes.js';
import type { Arrivals } from './work.js';

/** Where Slack sends commands, events and interactions. */
export const EVENTS_PATH = '/slack/events';

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/**
 * Readiness: 200 while the store takes a real write (bytes written and flushed, or a database answer) and
 * the app is not stopping, 503 otherwise, so a load balancer sends no new requests to a replica that is
 * draining or cannot save. Each check runs the same probe whose result the ack path reads (StoreHealth):
 * while it fails, requests are refused before their ack. The reason's detail goes to the log.
 */
function readyzRoute(
  health: StoreHealth,
  draining: () => boolean,
  configProblem: () => string | undefined,
): CustomRoute {
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return {
    path: '/readyz',
    method: ['GET'],
    handler: (_req, res) => {
      if (draining()) return answer(res, 503, { ok: false, reason: 'draining' });
      // A setting that stops every request (a wrong MESH_HELP_TOKEN_KEY) is named, so the operator sees which.
      const problem = configProblem();
      if (problem) return answer(res, 503, { ok: false, reason: problem });
      void health.check().then((up) => {
        if (!up) return answer(res, 503, { ok: false, reason: 'store' });
        answer(res, draining() ? 503 : 200, draining() ? { ok: false, reason: 'draining' } : { ok: true });
      });
    },
  };
}

/** Liveness and readiness for load balancers and Kubernetes probes. */
export const healthRoutes = (
  health: StoreHealth,
  draining: () => boolean,
  configProblem: () => string | undefined = () => undefined,
): CustomRoute[] => [healthz, readyzRoute(health, draining, configProblem)];

export type ReceiverOptions = {
  logger: Logger;
  clientOptions: WebClientOptions;
  routes: CustomRoute[];
  installs?: InstallationStore | undefined;
  unhandledRequestTimeoutMs?: number | undefined;
  /** Requests received and not yet answered (see Arrivals). */
  arrivals?: Arrivals | undefined;
};

/**
 * The receiver for the configured mode: HTTP (with the request gate in front
 * of Bolt, and OAuth installs when configured) or Socket Mode. Both serve the
 * health routes.
 */
export function buildReceiver(config: Config, o: ReceiverOptions): Receiver {
  return match(config.mode)
    .with('http', () => {
      const http = new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: EVENTS_PATH,
        customRoutes: o.routes,
        logger: o.logger,
        bodyLimit: BODY_LIMIT,
        // The request gate in front (below) verifies every signature and timestamp before Bolt reads a byte.
        signatureVerification: false,
        // A delivery the intake turned away (busy, storage down) is a 503 Slack retries, logged once by the intake,
        // not an unhandled error followed by an unacknowledged-request warning for each one.
        processEventErrorHandler: async (args) => {
          if (args.error instanceof ForeignTeamId) {
            if (!args.response.headersSent) {
              args.response.writeHead(400);
              args.response.end();
            }
            return true;
          }
          if (!(args.error instanceof RefusedBeforeAck))
            return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
          if (!args.response.headersSent) {
            args.response.writeHead(503, { 'Retry-After': '10' });
            args.response.end();
          }
          return true;
        },
        ...(o.unhandledRequestTimeoutMs
          ? {
              unhandledRequestTimeoutMillis: o.unhandledRequestTimeoutMs,
              // Bolt's own handler names its default (3 s) whatever the timeout is.
              unhandledRequestHandler: ({ response }: { response: ServerResponse }) => {
                o.logger.error(`mesh-help: a request was not acknowledged within ${o.unhandledRequestTimeoutMs} ms`);
                if (!response.headersSent) {
                  response.writeHead(404);
                  response.end();
                }
              },
            }
          : {}),
        // OAuth: /slack/install starts an install, /slack/oauth_redirect finishes it; state is signed, not kept.
        ...(config.oauth && o.installs
          ? {
              clientId: config.oauth.clientId,
              clientSecret: config.oauth.clientSecret,
              stateSecret: config.oauth.stateSecret,
              scopes: [...BOT_SCOPES],
              installationStore: o.installs,
              installerOptions: { directInstall: true, clientOptions: o.clientOptions },
            }
          : {}),
      });
      // Oversized, future-dated, replayed and foreign-shaped requests stop here, before Bolt buffers or parses them.
      http.requestListener = gateRequests(http.requestListener, {
        signingSecret: config.signingSecret ?? '',
        endpoints: [EVENTS_PATH],
        logger: o.logger,
        arrivals: o.arrivals,
      });
      return http;
    })
    .with(
      'socket',
      () =>
        new SocketModeReceiver({
          appToken: config.appToken ?? '',
          customRoutes: o.routes,
          // The socket client calls apps.connections.open through the same Web API settings (SLACK_API_URL).
          installerOptions: { port: config.port, clientOptions: o.clientOptions },
          logger: o.logger,
        }),
    )
    .exhaustive();
}

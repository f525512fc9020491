import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError } from '#protocol';
import { sendError, sendJson, type HttpRoute } from '../platform/http';
import type { BackendMetrics, HealthRegistry, Logger } from '../platform/observability';
import { bearerToken, tokensMatch } from './auth';
import { createRouteListener } from './route-listener';
import type { RpcDispatcher } from './rpc-dispatcher';
import { serveStaticFile } from './static-files';

export interface ControlHttpOptions {
  token: string;
  maxJsonBytes: number;
  staticDir: string | undefined;
  /** Capabilities' control routes (the OpenAI-compatible endpoints, uploads...). */
  routes: readonly HttpRoute[];
  dispatcher: RpcDispatcher;
  health: HealthRegistry;
  metrics: BackendMetrics;
  logger: Logger;
}

export const RPC_PATH_PREFIX = '/api/rpc/';
export const HEALTH_PATH = '/healthz';

/** `GET /healthz`: liveness and each component's readiness, on both listeners, without a token. */
export function healthRoute(health: HealthRegistry, exposure: HttpRoute['exposure']): HttpRoute {
  return {
    method: 'GET',
    path: HEALTH_PATH,
    exposure,
    serve: async (_request, response) => sendJson(response, 200, await health.report()),
  };
}

/** The control API's HTTP side: /healthz, /metrics, /api/rpc/<method>, capability routes, the web console. */
export function createControlRequestListener(options: ControlHttpOptions) {
  const builtInRoutes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/metrics',
      exposure: 'control',
      serve: async (_request, response) => {
        const text = await options.metrics.text();
        response.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' });
        response.end(text);
      },
    },
    {
      method: 'POST',
      path: RPC_PATH_PREFIX,
      exposure: 'control',
      serve: async (_request, response, context) => {
        const method = decodeMethodName(context.url.pathname.slice(RPC_PATH_PREFIX.length));
        const params = await context.readJsonBody();
        const outcome = await options.dispatcher.dispatch(method, params, {
          signal: context.signal,
          requestId: context.requestId,
          connectionId: undefined,
        });
        if (outcome.ok) sendJson(response, 200, { result: outcome.result });
        else sendError(response, ParleyError.fromWire(outcome.error));
      },
    },
  ];
  const health = healthRoute(options.health, 'control');
  return createRouteListener({
    listener: 'control',
    routes: [health, ...builtInRoutes, ...options.routes],
    maxJsonBytes: options.maxJsonBytes,
    authorize(route, request) {
      if (route === health) return;
      if (!tokensMatch(bearerToken(request), options.token)) {
        throw new ParleyError('unauthorized', 'Missing or wrong token', {
          hint: 'Send the token as "Authorization: Bearer <token>"; server mode prints it at start.',
        });
      }
    },
    fallback: (request, response, url) => serveConsoleFile(options.staticDir, request, response, url),
    metrics: options.metrics,
    logger: options.logger,
  });
}

async function serveConsoleFile(staticDir: string | undefined, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const method = request.method ?? 'GET';
  if ((method !== 'GET' && method !== 'HEAD') || !staticDir || url.pathname.startsWith('/api/')) return false;
  const served = await serveStaticFile(staticDir, url.pathname, response, method === 'HEAD');
  if (!served) throw new ParleyError('not_found', `No such file: ${url.pathname}`);
  return true;
}

/** A malformed escape in the path is the client's mistake, not an internal error. */
function decodeMethodName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ParleyError('bad_request', `Method name is not valid percent-encoding: ${encoded.slice(0, 128)}`);
  }
}

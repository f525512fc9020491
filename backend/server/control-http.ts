import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError } from '#protocol';
import type { BackendMetrics, HealthRegistry, Logger } from '../platform/observability';
import { bearerToken, tokensMatch } from './auth';
import { readJsonBody, readRawBody } from './http-body';
import { routeMatches, sendError, sendJson, type HttpRoute } from './http-routes';
import type { RpcDispatcher } from './rpc-dispatcher';
import { serveStaticFile } from './static-files';

export interface ControlHttpOptions {
  token: string;
  maxJsonBytes: number;
  staticDir: string | undefined;
  /** Capabilities' own routes (the OpenAI-compatible endpoints, webhooks...). */
  routes: readonly HttpRoute[];
  dispatcher: RpcDispatcher;
  health: HealthRegistry;
  metrics: BackendMetrics;
  logger: Logger;
}

export const RPC_PATH_PREFIX = '/api/rpc/';

/** The control API's HTTP side: /healthz, /metrics, /api/rpc/<method>, capability routes, the web console. */
export function createControlRequestListener(options: ControlHttpOptions) {
  const builtInRoutes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/healthz',
      access: 'public',
      serve: async (_request, response) => {
        const report = await options.health.report();
        sendJson(response, 200, report);
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      access: 'token',
      serve: async (_request, response) => {
        const text = await options.metrics.text();
        response.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' });
        response.end(text);
      },
    },
    {
      method: 'POST',
      path: RPC_PATH_PREFIX,
      access: 'token',
      serve: async (request, response, context) => {
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
  const routes = [...builtInRoutes, ...options.routes];

  return async function serveControlRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = headerRequestId(request) ?? randomUUID();
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const abort = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    response.setHeader('x-request-id', requestId);
    let routeLabel = 'static';
    const route = routes.find((candidate) => routeMatches(candidate, method, url.pathname));
    try {
      if (route) {
        routeLabel = route.path;
        if (route.access === 'token' && !tokensMatch(bearerToken(request), options.token)) {
          throw new ParleyError('unauthorized', 'Missing or wrong token', {
            hint: 'Send the token as "Authorization: Bearer <token>"; server mode prints it at start.',
          });
        }
        await route.serve(request, response, {
          requestId,
          url,
          signal: abort.signal,
          readJsonBody: () => readJsonBody(request, options.maxJsonBytes),
          readRawBody: () => readRawBody(request, route.maxBodyBytes ?? options.maxJsonBytes),
        });
      } else if ((method === 'GET' || method === 'HEAD') && options.staticDir && !url.pathname.startsWith('/api/')) {
        const served = await serveStaticFile(options.staticDir, url.pathname, response, method === 'HEAD');
        if (!served) throw new ParleyError('not_found', `No such file: ${url.pathname}`);
      } else {
        routeLabel = 'unmatched';
        throw new ParleyError('not_found', `No route for ${method} ${url.pathname}`);
      }
    } catch (error) {
      const parleyError =
        error instanceof ParleyError ? error : new ParleyError('internal', 'Internal error', { hint: 'See the Diagnostics panel log.' });
      if (!(error instanceof ParleyError)) options.logger.error({ err: error, requestId }, 'http route failed');
      if (parleyError.code === 'payload_too_large' || parleyError.code === 'bad_request') {
        options.metrics.rejectedFrames.inc({ reason: parleyError.code });
      }
      if (!response.headersSent) {
        sendError(response, parleyError, parleyError.code === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : {}, route);
      } else {
        response.destroy();
      }
    } finally {
      options.metrics.httpRequests.inc({ route: routeLabel, status: String(response.statusCode) });
      options.logger.debug(
        { requestId, method, path: url.pathname, status: response.statusCode, ms: Math.round(performance.now() - started) },
        'http request',
      );
    }
  };
}

/** A malformed escape in the path is the client's mistake, not an internal error. */
function decodeMethodName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ParleyError('bad_request', `Method name is not valid percent-encoding: ${encoded.slice(0, 128)}`);
  }
}

function headerRequestId(request: IncomingMessage): string | undefined {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : undefined;
}

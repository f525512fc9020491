import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError } from '#protocol';
import { readJsonBody, readRawBody, routeMatches, sendError, type HttpRoute } from '../platform/http';
import type { BackendMetrics, Logger } from '../platform/observability';

export interface RouteListenerOptions {
  /** Which listener this is, for metrics and logs ('control' or 'public'). */
  listener: string;
  routes: readonly HttpRoute[];
  maxJsonBytes: number;
  /** Throws (e.g. 'unauthorized') when the request may not reach the route. */
  authorize(route: HttpRoute, request: IncomingMessage): void;
  /** Serves what no route matched (the web console's files); false answers 404. */
  fallback?(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
  metrics: BackendMetrics;
  logger: Logger;
}

/**
 * An HTTP request listener over a route table: request ids, abort on client disconnect, body
 * limits, and every failure turned into the route's error shape. The control API and the public
 * listener are two of these with different tables and different authorisation.
 */
export function createRouteListener(options: RouteListenerOptions) {
  return async function serveRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
    const route = options.routes.find((candidate) => routeMatches(candidate, method, url.pathname));
    try {
      if (route) {
        routeLabel = route.path;
        options.authorize(route, request);
        await route.serve(request, response, {
          requestId,
          url,
          signal: abort.signal,
          readJsonBody: () => readJsonBody(request, options.maxJsonBytes),
          readRawBody: () => readRawBody(request, route.maxBodyBytes ?? options.maxJsonBytes),
        });
      } else if (!(await options.fallback?.(request, response, url))) {
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
        { listener: options.listener, requestId, method, path: url.pathname, status: response.statusCode, ms: Math.round(performance.now() - started) },
        'http request',
      );
    }
  };
}

function headerRequestId(request: IncomingMessage): string | undefined {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : undefined;
}

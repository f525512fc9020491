import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParleyError } from '#protocol';

export interface HttpRouteContext {
  requestId: string;
  url: URL;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
  /** The body parsed as JSON, within the listener's size limit (ParleyError otherwise). */
  readJsonBody(): Promise<unknown>;
  /** The exact bytes received (webhook signatures are computed over these), within the route's limit. */
  readRawBody(): Promise<Buffer>;
}

/**
 * Where a route is served. 'control': the loopback control API, behind the bearer token.
 * 'public': the internet-facing listener (PARLEY_WEBHOOK_HOST/PORT), no token: the route checks
 * its own credentials (a webhook signature over the raw bytes, a verify token).
 */
export type RouteExposure = 'control' | 'public';

/** An HTTP route a capability adds (the OpenAI-compatible endpoints, webhooks, uploads...). */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a prefix when it ends with `/`. */
  path: string;
  exposure: RouteExposure;
  /** For readRawBody: uploads (audio, PDFs) need more than the JSON limit. Default: the JSON limit. */
  maxBodyBytes?: number;
  serve(request: IncomingMessage, response: ServerResponse, context: HttpRouteContext): Promise<void> | void;
  /** The error body this route's clients expect (e.g. OpenAI's shape); defaults to `{ error: WireError }`. */
  formatError?(error: ParleyError): unknown;
}

export function routeMatches(route: HttpRoute, method: string, pathname: string): boolean {
  if (route.method !== method) return false;
  return route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path;
}

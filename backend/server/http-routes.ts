import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusForErrorCode, type ParleyError } from '#protocol';

export interface HttpRouteContext {
  requestId: string;
  url: URL;
  maxJsonBytes: number;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

/** A route a capability adds to the control API (the OpenAI-compatible endpoints, webhooks...). */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a prefix when it ends with `/`. */
  path: string;
  /** 'token' routes answer 401 without the bearer token; 'public' routes check their own credentials. */
  access: 'token' | 'public';
  serve(request: IncomingMessage, response: ServerResponse, context: HttpRouteContext): Promise<void> | void;
}

export function routeMatches(route: HttpRoute, method: string, pathname: string): boolean {
  if (route.method !== method) return false;
  return route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** The control API's error body: `{ error: { code, message, hint? } }`. */
export function sendError(response: ServerResponse, error: ParleyError, headers: Record<string, string> = {}): void {
  sendJson(response, httpStatusForErrorCode[error.code], { error: error.toWire() }, headers);
}

import type { ServerResponse } from 'node:http';
import { httpStatusForErrorCode, type ParleyError } from '#protocol';
import type { HttpRoute } from './route';

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

/** The error body a route's clients expect: `{ error: { code, message, hint? } }` unless the route formats its own. */
export function sendError(response: ServerResponse, error: ParleyError, headers: Record<string, string> = {}, route?: HttpRoute): void {
  const body = route?.formatError ? route.formatError(error) : { error: error.toWire() };
  sendJson(response, httpStatusForErrorCode[error.code], body, headers);
}

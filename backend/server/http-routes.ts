import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { httpStatusForErrorCode, ParleyError } from '#protocol';

export interface HttpRouteContext {
  requestId: string;
  url: URL;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
  /** The body parsed as JSON, within the configured size limit (ParleyError otherwise). */
  readJsonBody(): Promise<unknown>;
  /** The exact bytes received (webhook signatures are computed over these), within the route's limit. */
  readRawBody(): Promise<Buffer>;
}

/** A route a capability adds to the control API (the OpenAI-compatible endpoints, webhooks...). */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a prefix when it ends with `/`. */
  path: string;
  /** 'token' routes answer 401 without the bearer token; 'public' routes check their own credentials. */
  access: 'token' | 'public';
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
export function sendError(response: ServerResponse, error: ParleyError, headers: Record<string, string> = {}, route?: HttpRoute): void {
  const body = route?.formatError ? route.formatError(error) : { error: error.toWire() };
  sendJson(response, httpStatusForErrorCode[error.code], body, headers);
}

/** A route's JSON body checked against its schema: the first problem, named by its path, is the error. */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ParleyError('invalid_params', `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'wrong shape'}`);
}

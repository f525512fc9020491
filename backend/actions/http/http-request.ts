import { ParleyError, type HttpAuth } from '#protocol';
import { isTimeoutReason } from '../../base';
import { ActionCallError, type ActionResult } from '../tools/action-definition';
import type { HttpOperation } from '../openapi/operations';

export interface HttpTarget {
  baseUrl: string;
  auth: HttpAuth;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** How much of an error body the model gets: enough to read the API's complaint, not a whole page. */
const ERROR_BODY_CHARS = 300;
const ERROR_READ_BYTES = 4096;

/**
 * Sends one operation with the model's (already validated) arguments and reads the answer within
 * the timeout and the size cap. A non-2xx answer is an `ActionCallError` with the status and the
 * start of the body. Messages name the method and path template, never the final URL, which can
 * carry an API key in its query.
 */
export async function sendOperation(target: HttpTarget, operation: HttpOperation, args: Record<string, unknown>, signal: AbortSignal): Promise<ActionResult> {
  const request = buildRequest(target, operation, args);
  const label = `${operation.method} ${operation.path}`;
  const timeout = AbortSignal.timeout(target.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, { method: operation.method, headers: request.headers, body: request.body, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
  } catch (error) {
    if (timeout.aborted && isTimeoutReason(timeout.reason)) {
      throw new ParleyError('timeout', `${label}: no answer within ${target.timeoutMs / 1000} s`);
    }
    if (signal.aborted) throw new ParleyError('cancelled', `${label}: cancelled`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ParleyError('unavailable', `${label}: the API could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  let text: string;
  try {
    // An error page is read only as far as the excerpt needs, whatever its size.
    text = response.ok ? await readCapped(response, target.maxResponseBytes, label) : await readPrefix(response, ERROR_READ_BYTES);
  } catch (error) {
    if (timeout.aborted) throw new ParleyError('timeout', `${label}: the answer did not finish within ${target.timeoutMs / 1000} s`);
    throw error;
  }
  if (!response.ok) {
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
    throw new ActionCallError(`${label} failed with HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, response.status);
  }
  const contentType = response.headers.get('content-type') ?? '';
  let data: unknown = text;
  if (/json/i.test(contentType) && text.trim()) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  // An empty 2xx (a 204 after a cancel) is a success the model must see as one, not as "nothing found".
  return { data: text.trim() === '' ? { status: response.status, ok: true } : data, httpStatus: response.status };
}

function buildRequest(target: HttpTarget, operation: HttpOperation, args: Record<string, unknown>): { url: URL; headers: Headers; body: string | undefined } {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers = new Headers({ accept: 'application/json, text/plain;q=0.9, */*;q=0.5' });
  const cookies: string[] = [];
  for (const parameter of operation.parameters) {
    const value = args[parameter.argument];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (parameter.in === 'path') path = path.split(`{${parameter.name}}`).join(encodeURIComponent(text));
    else if (parameter.in === 'query') {
      if (Array.isArray(value)) for (const item of value) query.append(parameter.name, String(item));
      else query.append(parameter.name, text);
    } else if (parameter.in === 'header') headers.set(parameter.name, text);
    else cookies.push(`${parameter.name}=${encodeURIComponent(text)}`);
  }
  if (cookies.length) headers.set('cookie', cookies.join('; '));
  const url = new URL(target.baseUrl.replace(/\/$/, '') + path);
  for (const [name, value] of query) url.searchParams.append(name, value);
  applyAuth(target.auth, url, headers);

  let body: string | undefined;
  const bodyValue = operation.body ? args[operation.body.argument] : undefined;
  if (operation.body && bodyValue !== undefined) {
    headers.set('content-type', operation.body.contentType);
    body =
      operation.body.contentType === 'application/json'
        ? JSON.stringify(bodyValue)
        : new URLSearchParams(Object.entries(bodyValue as Record<string, unknown>).map(([key, value]): [string, string] => [key, String(value)])).toString();
  }
  return { url, headers, body };
}

function applyAuth(auth: HttpAuth, url: URL, headers: Headers): void {
  if (auth.kind === 'bearer') headers.set('authorization', `Bearer ${auth.token}`);
  else if (auth.kind === 'basic') headers.set('authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
  else if (auth.kind === 'apiKey') {
    if (auth.in === 'header') headers.set(auth.name, auth.value);
    else url.searchParams.set(auth.name, auth.value);
  }
}

/** The body as text, refused once it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number, label: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ParleyError('payload_too_large', `${label}: the answer is ${declared} bytes, over the ${maxBytes}-byte cap for this action`, {
      hint: 'Raise the response size cap of the source, or ask the API for less (filters, paging).',
    });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new ParleyError('payload_too_large', `${label}: the answer passed the ${maxBytes}-byte cap for this action`, {
        hint: 'Raise the response size cap of the source, or ask the API for less (filters, paging).',
      });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The first `maxBytes` of the body (the rest is not read). */
async function readPrefix(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  while (received < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).toString('utf8').slice(0, maxBytes);
}

/** The credential values of an auth, to mask wherever they could show. */
export function authSecrets(auth: HttpAuth): string[] {
  if (auth.kind === 'bearer') return [auth.token];
  if (auth.kind === 'apiKey') return [auth.value];
  if (auth.kind === 'basic') return [auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64')];
  return [];
}

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Sockets kept open per host: every contact's reply goes to the same Graph (or WAHA) host. */
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

/**
 * `fetch`'s shape over node:http(s) with keep-alive agents. Measured here, undici's fetch spends about
 * three times the CPU of node:http on a small JSON POST (1.6 ms against 0.5 ms), and the bridge makes
 * two such calls per message (read mark, reply) at up to a hundred messages a second. Bodies are
 * strings or bytes; a FormData body (a media upload, rare) goes through the platform's fetch.
 */
export function keepAliveFetch(url: string, init: RequestInit = {}): Promise<Response> {
  if (init.body instanceof FormData) return fetch(url, init);
  const target = new URL(url);
  const https = target.protocol === 'https:';
  return new Promise<Response>((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(
      target,
      { method: init.method ?? 'GET', headers: headerObject(init.headers), agent: https ? agents.https : agents.http, signal: init.signal ?? undefined },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 502;
          const body = status === 204 || status === 205 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers: responseHeaders(response.headers) }));
        });
      },
    );
    request.on('error', reject);
    const body = init.body;
    if (body === undefined || body === null) request.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) request.end(body);
    else {
      request.destroy();
      reject(new TypeError('keepAliveFetch sends strings and bytes only'));
    }
  });
}

function headerObject(headers: RequestInit['headers']): Record<string, string> {
  // new Headers() takes every form init.headers may have (object, pairs, Headers) and names them in lower case.
  return Object.fromEntries(new Headers(headers).entries());
}

function responseHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const entry of Array.isArray(value) ? value : [value]) result.append(name, entry);
  }
  return result;
}

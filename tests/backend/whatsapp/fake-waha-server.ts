import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WAHA_HMAC_KEY = 'waha-hmac-key';
export const WAHA_API_KEY = 'waha-api-key';

export interface WahaRequest {
  path: string;
  apiKey: string | undefined;
  body: Record<string, unknown>;
  /** Epoch ms of its arrival. */
  at: number;
}

export interface FakeWahaServer {
  url: string;
  /** Every call, failed ones included, in arrival order. */
  requests: WahaRequest[];
  /** The message ids it answered sends with. */
  issued: string[];
  /** Files served at /api/files/<name> to the API key only (voice notes). */
  files: Map<string, { bytes: Buffer; mimeType: string }>;
  /** The next sends are answered with these HTTP statuses instead, one each. */
  failNextSends(...statuses: number[]): void;
  /** The sendText calls it answered with a message id. */
  sentTexts(): string[];
  close(): Promise<void>;
}

/** A fake WAHA: records every call, answers sends with a message id (or a scripted failure), serves files to the API key only. */
export async function startFakeWaha(): Promise<FakeWahaServer> {
  const requests: WahaRequest[] = [];
  const issued: string[] = [];
  const failures: number[] = [];
  const answered: string[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const apiKey = request.headers['x-api-key'] as string | undefined;
      if (request.method === 'GET' && request.url?.startsWith('/api/files/')) {
        requests.push({ path: request.url, apiKey, body: {}, at: Date.now() });
        const file = files.get(request.url.slice('/api/files/'.length));
        if (apiKey !== WAHA_API_KEY) return void response.writeHead(401).end('{"message":"Unauthorized"}');
        if (!file) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
        return void response.end(file.bytes);
      }
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      requests.push({ path: request.url ?? '', apiKey, body, at: Date.now() });
      const send = request.url === '/api/sendText' || request.url === '/api/sendVoice';
      const failure = send ? failures.shift() : undefined;
      if (failure !== undefined) {
        response.writeHead(failure, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ statusCode: failure, message: `scripted failure ${failure}` }));
      }
      response.writeHead(201, { 'content-type': 'application/json' });
      const id = `true_${String(body.chatId)}_${randomUUID().replace(/-/g, '').toUpperCase()}`;
      if (send) issued.push(id);
      if (request.url === '/api/sendText') answered.push(String(body.text));
      response.end(JSON.stringify(send ? { id } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    issued,
    files,
    failNextSends: (...statuses) => failures.push(...statuses),
    sentTexts: () => [...answered],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A WAHA "message" event from `chat`, its id ending in `key`, sent `timestamp` (epoch s; now by default). */
export function wahaMessage(text: string, key: string, chat = '16505551234@c.us', timestamp = Math.floor(Date.now() / 1000)) {
  return { event: 'message', session: 'default', payload: { id: `false_${chat}_${key}`, timestamp, from: chat, fromMe: false, body: text, hasMedia: false, media: null } };
}

/** X-Webhook-Hmac as WAHA signs: HMAC-SHA512 of the raw body, hex. */
export function signWaha(raw: Buffer, key = WAHA_HMAC_KEY): string {
  return createHmac('sha512', key).update(raw).digest('hex');
}

/** The environment that points a server at this WAHA. */
export function wahaEnvironment(waha: Pick<FakeWahaServer, 'url'>): Record<string, string> {
  return { WAHA_URL: waha.url, WAHA_API_KEY: WAHA_API_KEY, WAHA_SESSION: 'default', WAHA_WEBHOOK_HMAC_KEY: WAHA_HMAC_KEY };
}

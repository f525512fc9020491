/**
 * A fake Meta Graph API for the WhatsApp tests: real node:http on loopback. It records every
 * request, answers sends with fresh wamids, serves media (GET /{ver}/{id} then the URL), and
 * returns scripted Graph errors for the next sends.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
  at: number;
}

/** A media upload (`POST /{ver}/{phone-number-id}/media`, multipart) as the fake received it. */
export interface GraphUpload {
  mediaId: string;
  messagingProduct: string | null;
  type: string | null;
  fileName: string | null;
  /** The file part's own content type. */
  contentType: string;
  bytes: Buffer;
}

export interface ScriptedGraphError {
  status: number;
  code: number;
  message?: string;
  /** Only sends of this type fail (text, template...); default any message send. */
  type?: string;
}

export interface FakeGraphServer {
  /** e.g. http://127.0.0.1:4321 — WHATSAPP_GRAPH_URL */
  url: string;
  requests: GraphRequest[];
  /** The message ids issued to accepted sends, in order (on arrival, before a `sendDelayMs` answer). */
  wamids: string[];
  /** POST .../messages that are message sends (not read marks). */
  sends(): GraphRequest[];
  /** The text bodies sent, in order. */
  sentTexts(): string[];
  /** Media uploaded by the bridge, in order (voice-note replies). */
  uploads: GraphUpload[];
  /** The next matching sends fail with these, in order. */
  failNext(...errors: ScriptedGraphError[]): void;
  /** Media the bridge can download: returns its media id. */
  addMedia(bytes: Buffer, mimeType: string, sha256?: string): string;
  /** Delay before answering a send (a slow Graph). */
  sendDelayMs: number;
  waitForSends(count: number, timeoutMs?: number): Promise<GraphRequest[]>;
  close(): Promise<void>;
}

export async function startFakeGraphServer(): Promise<FakeGraphServer> {
  const requests: GraphRequest[] = [];
  const failures: ScriptedGraphError[] = [];
  const media = new Map<string, { bytes: Buffer; mimeType: string; sha256: string | undefined }>();
  const waiters = new Set<() => void>();
  let baseUrl = '';

  const isSend = (request: GraphRequest) => request.method === 'POST' && request.path.endsWith('/messages') && request.body?.status !== 'read';

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const contentType = request.headers['content-type'] ?? '';
    const multipart = contentType.startsWith('multipart/form-data');
    const raw = multipart ? '' : bytes.toString('utf8');
    const recorded: GraphRequest = { method: request.method ?? 'GET', path, authorization: request.headers.authorization, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined, at: Date.now() };
    requests.push(recorded);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (recorded.method === 'POST' && path.endsWith('/media')) {
      if (!multipart) return json(400, { error: { code: 100, message: 'media upload must be multipart/form-data' } });
      // The platform's own multipart parser (undici's FormData), as strict as a real server.
      const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
      const file = form.get('file');
      if (!(file instanceof File)) return json(400, { error: { code: 100, message: 'no file part' } });
      const mediaId = `uploaded-${randomUUID()}`;
      api.uploads.push({
        mediaId,
        messagingProduct: form.get('messaging_product') as string | null,
        type: form.get('type') as string | null,
        fileName: file.name,
        contentType: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      });
      return json(200, { id: mediaId });
    }
    if (path.startsWith('/media-bytes/')) {
      const stored = media.get(path.slice('/media-bytes/'.length));
      if (!stored) return json(404, { error: { code: 100, message: 'no such media' } });
      response.writeHead(200, { 'content-type': stored.mimeType });
      return void response.end(stored.bytes);
    }
    if (isSend(recorded)) {
      const index = failures.findIndex((failure) => failure.type === undefined || failure.type === recorded.body?.type);
      const [failure] = index >= 0 ? failures.splice(index, 1) : [];
      // Issued on arrival, as Meta does: its status webhooks for the id can overtake a slow answer.
      const wamid = failure ? undefined : `wamid.fake.${randomUUID()}`;
      if (wamid) api.wamids.push(wamid);
      if (api.sendDelayMs) await new Promise((resolve) => setTimeout(resolve, api.sendDelayMs));
      if (failure) {
        json(failure.status, { error: { message: failure.message ?? `Scripted ${failure.code}`, type: 'OAuthException', code: failure.code, error_data: { messaging_product: 'whatsapp', details: failure.message ?? `Scripted error ${failure.code}` } } });
      } else {
        json(200, { messaging_product: 'whatsapp', contacts: [{ input: recorded.body?.to, wa_id: recorded.body?.to }], messages: [{ id: wamid }] });
      }
      for (const wake of waiters) wake();
      return;
    }
    if (recorded.method === 'POST' && path.endsWith('/messages')) return json(200, { success: true });
    const mediaId = path.split('/').pop() ?? '';
    const stored = media.get(mediaId);
    if (recorded.method === 'GET' && stored) {
      return json(200, { url: `${baseUrl}/media-bytes/${mediaId}`, mime_type: stored.mimeType, sha256: stored.sha256, file_size: stored.bytes.length, id: mediaId, messaging_product: 'whatsapp' });
    }
    json(404, { error: { code: 100, message: `fake Graph does not serve ${recorded.method} ${path}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: FakeGraphServer = {
    url: baseUrl,
    requests,
    uploads: [],
    wamids: [],
    sendDelayMs: 0,
    sends: () => requests.filter(isSend),
    sentTexts: () => requests.filter(isSend).filter((request) => request.body?.type === 'text').map((request) => (request.body?.text as { body: string }).body),
    failNext: (...errors) => failures.push(...errors),
    addMedia: (bytes, mimeType, sha256) => {
      const id = `media-${randomUUID()}`;
      media.set(id, { bytes, mimeType, sha256 });
      return id;
    },
    waitForSends: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const sends = requests.filter(isSend);
          if (sends.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(sends);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Graph: waited ${timeoutMs} ms for ${count} send(s), got ${requests.filter(isSend).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}

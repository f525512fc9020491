// The public listener's own thread: webhook deliveries are checked, spooled and answered here, so
// their answer never waits for the main thread's event loop (turns, the store, the console).
// Every other public request is forwarded to the main thread's listener of the public routes.
import { createServer, request as forwardRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { hmacSignatureMatches } from '../../base/hmac-signature';
import { readBodyWithin } from '../../base/read-within';
import type { WebhookAnswer } from '../../platform/http';
import { SqliteSpoolWriter } from './spool-writer';
import type { CannedAnswer, FromThread, PublicThreadData, ThreadEndpoint, ToThread } from './thread-messages';

const data = workerData as PublicThreadData;
const port = parentPort!;
const tell = (message: FromThread) => port.postMessage(message);
const endpoints = new Map(data.endpoints.map((endpoint) => [endpoint.path, endpoint]));
const keys = new Map(data.keys);
const spool = new SqliteSpoolWriter(data.databaseFile);
const forwardAgent = new Agent({ keepAlive: true });
/** How often the thread moves the WAL into the database file (the main thread's own checkpoints would block its event loop). */
const CHECKPOINT_EVERY_MS = 1_000;
const checkpoints = setInterval(() => {
  try {
    spool.checkpointWal();
  } catch {
    // Busy (another checkpoint, a writer): the next one catches up.
  }
}, CHECKPOINT_EVERY_MS);

async function takeDelivery(endpoint: ThreadEndpoint, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const answer = (kind: WebhookAnswer, canned: CannedAnswer = endpoint.answers[kind]) => {
    if (!response.headersSent) {
      response.writeHead(canned.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(canned.body), 'cache-control': 'no-store' });
      response.end(canned.body);
    }
    tell({ type: 'answered', path: endpoint.path, answer: kind, ms: performance.now() - started });
  };
  const raw = await readBodyWithin(request, endpoint.maxBodyBytes);
  if (!raw) return answer('too_large');
  const key = keys.get(endpoint.path);
  if (!key) return answer('unconfigured');
  const header = request.headers[endpoint.signature.header];
  if (!hmacSignatureMatches(raw, Array.isArray(header) ? header[0] : header, key, endpoint.signature.algorithm, endpoint.signature.prefix)) return answer('rejected_signature');
  if (!isJsonObject(raw)) return answer('malformed');
  try {
    await spool.append(endpoint.path, raw, Date.now());
  } catch (error) {
    // Not stored: a 503 makes the provider deliver it again later.
    tell({ type: 'spool-failed', message: (error as Error).message });
    return answer('not_stored');
  }
  answer('accepted');
  tell({ type: 'spooled' });
}

function isJsonObject(raw: Buffer): boolean {
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    return typeof body === 'object' && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

/** Everything but a delivery (Meta's verification GET, /healthz, other public routes) is the main thread's. */
function forward(request: IncomingMessage, response: ServerResponse): void {
  const upstream = forwardRequest(
    { host: '127.0.0.1', port: data.forwardPort, method: request.method, path: request.url, headers: request.headers, agent: forwardAgent },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error: { code: 'unavailable', message: 'The backend is not answering' } }));
  });
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  request.pipe(upstream);
}

const server = createServer((request, response) => {
  const endpoint = request.method === 'POST' ? endpoints.get(new URL(request.url ?? '/', 'http://127.0.0.1').pathname) : undefined;
  if (!endpoint) return forward(request, response);
  takeDelivery(endpoint, request, response).catch(() => {
    // The client went away mid-body: nothing was stored, nothing to answer.
    response.destroy();
  });
});
server.on('clientError', (_error, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
});
server.once('error', (error) => tell({ type: 'failed', message: error.message }));
server.listen(data.port, data.host, () => tell({ type: 'listening', port: (server.address() as AddressInfo).port }));

port.on('message', (message: ToThread) => {
  if (message.type === 'key') keys.set(message.path, message.key);
  else if (message.type === 'close') {
    server.close(() => {
      clearInterval(checkpoints);
      forwardAgent.destroy();
      void spool
        .close()
        .catch(() => undefined)
        .finally(() => tell({ type: 'closed' }));
    });
    server.closeAllConnections();
  }
});

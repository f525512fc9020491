import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** How the server answers one request. Unset fields behave like a well-behaved static file server. */
export interface ServeBehaviour {
  /** Send this many bytes of the body, then drop the connection. */
  cutAfterBytes?: number;
  /** Send this many bytes, then go quiet with the connection open. */
  stallAfterBytes?: number;
  /** Answer 200 with the whole file, as a server without range support does. */
  ignoreRange?: boolean;
  /** Answer a range request with a Content-Range (and body) starting at this byte instead of the one asked for. */
  contentRangeStart?: number;
  /** Answer this status with an empty body. */
  status?: number;
  chunkBytes?: number;
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  path: string;
  range: string | undefined;
  acceptEncoding: string | undefined;
}

/** A local static file server with HTTP ranges, scripted per request to cut, stall or ignore ranges. */
export class RangeFileServer {
  readonly requests: RecordedRequest[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly plans = new Map<string, ServeBehaviour[]>();
  private defaults: ServeBehaviour = { chunkBytes: 16 * 1024 };

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<RangeFileServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fileServer = new RangeFileServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => {
      fileServer.handle(request, response).catch(() => response.destroy());
    });
    return fileServer;
  }

  serve(path: string, body: Buffer): string {
    this.files.set(path, body);
    return `${this.baseUrl}${path}`;
  }

  /** The next requests for `path` behave like these, in order; later ones like the defaults. */
  plan(path: string, ...behaviours: ServeBehaviour[]): void {
    this.plans.set(path, [...(this.plans.get(path) ?? []), ...behaviours]);
  }

  setDefaults(behaviour: ServeBehaviour): void {
    this.defaults = { chunkBytes: 16 * 1024, ...behaviour };
  }

  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.baseUrl).pathname;
    this.requests.push({ path, range: request.headers.range, acceptEncoding: request.headers['accept-encoding'] });
    const behaviour = { ...this.defaults, ...this.plans.get(path)?.shift() };
    const file = this.files.get(path);
    if (behaviour.status !== undefined) return void response.writeHead(behaviour.status, { 'content-length': 0 }).end();
    if (!file) return void response.writeHead(404, { 'content-length': 0 }).end();

    const range = behaviour.ignoreRange ? undefined : parseRangeHeader(request.headers.range);
    let body = file;
    if (range) {
      if (range.start >= file.length) {
        return void response.writeHead(416, { 'content-range': `bytes */${file.length}`, 'content-length': 0 }).end();
      }
      const start = behaviour.contentRangeStart ?? range.start;
      body = file.subarray(start);
      response.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': body.length,
        'content-range': `bytes ${start}-${file.length - 1}/${file.length}`,
        'accept-ranges': 'bytes',
      });
    } else {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length, 'accept-ranges': 'bytes' });
    }
    await this.sendBody(response, body, behaviour);
  }

  private async sendBody(response: ServerResponse, body: Buffer, behaviour: ServeBehaviour): Promise<void> {
    const limit = Math.min(body.length, behaviour.cutAfterBytes ?? behaviour.stallAfterBytes ?? body.length);
    const chunkBytes = behaviour.chunkBytes ?? 16 * 1024;
    for (let sent = 0; sent < limit && !response.destroyed; ) {
      const chunk = body.subarray(sent, Math.min(limit, sent + chunkBytes));
      await new Promise<void>((resolve) => response.write(chunk, () => resolve()));
      sent += chunk.length;
      if (behaviour.chunkDelayMs) await delay(behaviour.chunkDelayMs);
    }
    if (behaviour.cutAfterBytes !== undefined && behaviour.cutAfterBytes < body.length) {
      // A pause first: fetch drops chunks it has buffered but not handed over when the socket errors,
      // and the tests want the client to have read what was sent, as over a real network it would.
      await delay(30);
      return void response.socket?.destroy();
    }
    // A stall: nothing more, until the client gives up or the server closes.
    if (behaviour.stallAfterBytes !== undefined && behaviour.stallAfterBytes < body.length) return;
    response.end();
  }
}

function parseRangeHeader(header: string | undefined): { start: number } | undefined {
  const match = header ? /^bytes=(\d+)-$/.exec(header) : null;
  return match ? { start: Number(match[1]) } : undefined;
}

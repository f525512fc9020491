import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface RunningListener {
  port: number;
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  serve(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** WebSocket upgrades; without it every upgrade is refused. */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** An HTTP server listening on host:port; resolves once it accepts connections. */
export async function listenHttp(options: ListenOptions): Promise<RunningListener> {
  const server = createServer((request, response) => void options.serve(request, response));
  server.on('upgrade', (request, socket, head) => {
    if (options.upgrade) options.upgrade(request, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

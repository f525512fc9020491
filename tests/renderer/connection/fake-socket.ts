import { ControlClient } from '../../../renderer/src/connection/control-client';

interface SentRequest {
  kind: 'request';
  id: string;
  method: string;
  params: Record<string, unknown>;
}

/** A socket the ControlClient can drive without a backend: frames sent are recorded, frames received are typed in. */
export class FakeSocket {
  readyState: number = WebSocket.OPEN;
  binaryType = 'blob';
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  readonly sent: Array<SentRequest | { kind: 'cancel'; id: string }> = [];

  send(text: string): void {
    this.sent.push(JSON.parse(text) as SentRequest);
  }

  close(): void {
    this.readyState = WebSocket.CLOSED;
  }

  get requests(): SentRequest[] {
    return this.sent.filter((frame): frame is SentRequest => frame.kind === 'request');
  }

  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  hello(connectionId = 'connection-1'): void {
    this.receive({ kind: 'event', event: 'system.hello', data: { connectionId, version: '0.1.0', mode: 'server', protocolVersion: 1 } });
  }

  /** Answers every request not answered yet with `result(request)`. */
  answerAll(result: (request: SentRequest) => unknown = (request) => ({ topics: request.params.topics ?? [] })): void {
    for (const request of this.requests.filter((r) => !this.answered.has(r.id))) {
      this.answered.add(request.id);
      this.receive({ kind: 'response', id: request.id, ok: true, result: result(request) });
    }
  }

  /** The socket dropped (the backend went away). */
  drop(): void {
    this.readyState = WebSocket.CLOSED;
    this.onclose?.({ code: 1006, reason: '' });
  }

  private readonly answered = new Set<string>();
}

/** A client over fake sockets: `sockets` gets one per connection attempt, the newest last. */
export async function connectedFakeClient(): Promise<{ client: ControlClient; sockets: FakeSocket[] }> {
  const sockets: FakeSocket[] = [];
  const client = new ControlClient({
    resolveEndpoint: async () => ({ url: 'http://127.0.0.1:1', token: 'fake-token' }),
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  });
  client.start();
  await waitFor(() => sockets.length === 1);
  sockets[0]!.hello();
  return { client, sockets };
}

export async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('condition not met');
}

/** Lets queued microtasks (the batched subscription flush) run. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

import type { ServerResponse } from 'node:http';

export interface SseWriter {
  /** True once the 200 and its headers went out: an error after this can only be an event. */
  readonly started: boolean;
  /** Sends the headers now (before the first event) if not sent yet. */
  start(): void;
  /** One `data:` event with the JSON of `payload`. */
  send(payload: unknown): void;
  /** Ends the stream, after a final raw `data: <text>` line when given (OpenAI's `[DONE]`). */
  end(finalData?: string): void;
}

/**
 * A server-sent-events stream whose headers go out lazily: until the first event, the route can
 * still answer with a proper error status instead.
 */
export function createSseWriter(response: ServerResponse): SseWriter {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  };
  return {
    get started() {
      return started;
    },
    start,
    send(payload) {
      start();
      response.write(`data: ${JSON.stringify(payload)}\n\n`);
    },
    end(finalData) {
      start();
      response.end(finalData === undefined ? undefined : `data: ${finalData}\n\n`);
    },
  };
}

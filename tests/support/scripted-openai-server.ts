/**
 * A scripted OpenAI-compatible HTTP server: the LLM stand-in for tests.
 *
 * Real node:http on 127.0.0.1 and a random free port, so the product's real
 * `openai` client talks real HTTP to it. Tests script the next answers with
 * `enqueue(reply.text(...), reply.toolCall(...), reply.error(500), ...)`; each
 * `POST /v1/chat/completions` consumes the first queued step that matches it
 * (a step with `model` only matches requests for that model, so one server can
 * play provider A failing and provider B answering; starting one server per
 * provider works too). With nothing queued it echoes the last user message
 * (or answers 500, see `whenEmpty`). Every request is logged in `requests`.
 *
 * Endpoints: GET /v1/models, GET /v1/models/:id, POST /v1/chat/completions
 * (streaming SSE and non-streaming), POST /v1/embeddings (deterministic hashed
 * vectors, scripted-embeddings.ts). Anything else: 404 in OpenAI's shape.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { embeddingsResponse } from './scripted-embeddings';
import {
  reply,
  type OpenAiErrorObject,
  type RecordedRequest,
  type ScriptedStep,
  type ScriptedStepHandle,
  type StepOutcome,
} from './scripted-openai-steps';
import {
  chunk,
  completion,
  encodeArguments,
  errorBody,
  lastUserText,
  makeUsage,
  splitArguments,
  splitText,
  sse,
  SSE_DONE,
  usageChunk,
  type CompletionMeta,
  type ResolvedToolCall,
} from './scripted-openai-wire';

export * from './scripted-openai-steps';
export { estimateTokens, estimatePromptTokens } from './scripted-openai-wire';

export interface ScriptedOpenAiServerOptions {
  /** Ids listed by GET /v1/models. Default `['scripted-model']`. */
  models?: string[];
  /** When set, every request must carry `Authorization: Bearer <apiKey>`, else 401. */
  apiKey?: string;
  /**
   * Answer to a chat request when no queued step matches it:
   * `'echo'` (default) replies with the last user message's text;
   * `'error'` replies 500 (with `x-should-retry: false`, so the SDK does not retry);
   * a step is used every time (it is not consumed).
   */
  whenEmpty?: 'echo' | 'error' | ScriptedStep;
}

export interface ScriptedOpenAiServer {
  /** `http://127.0.0.1:<port>/v1` — pass as the openai client's `baseURL`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in arrival order (all endpoints). */
  readonly requests: readonly RecordedRequest[];
  /** Only the `POST /v1/chat/completions` requests. */
  readonly chatRequests: readonly RecordedRequest[];
  /** Queued steps not served yet. */
  readonly pendingSteps: number;
  /** Queue steps; returns one handle per step (same order) to inspect what it served. */
  enqueue<S extends ScriptedStep[]>(...steps: S): { [K in keyof S]: ScriptedStepHandle };
  setModels(ids: string[]): void;
  /** Change (or with undefined, disable) the API key check. */
  setApiKey(key: string | undefined): void;
  /** Resolves once at least `count` chat requests have arrived (rejects after `timeoutMs`). */
  waitForChatRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Drop queued steps and the request log. */
  reset(): void;
  /** Stops listening and destroys open connections (hung requests included). Idempotent. */
  close(): Promise<void>;
}

const CHAT_PATH = '/v1/chat/completions';

class QueuedStep implements ScriptedStepHandle {
  request: RecordedRequest | undefined;
  readonly served: Promise<RecordedRequest>;
  readonly outcome: Promise<StepOutcome>;
  resolveServed!: (request: RecordedRequest) => void;
  resolveOutcome!: (outcome: StepOutcome) => void;

  constructor(readonly step: ScriptedStep) {
    this.served = new Promise((resolve) => (this.resolveServed = resolve));
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }
}

/** Per-response state while a step is being served. */
interface Exchange {
  readonly res: ServerResponse;
  readonly body: Partial<ChatCompletionCreateParams>;
  readonly stream: boolean;
  readonly meta: CompletionMeta;
  /** Aborted when the connection closes (client abort, cut, or server close). */
  readonly gone: AbortSignal;
  cutByScript: boolean;
  roleSent: boolean;
  /** Content / tool chunks sent so far (the role-only chunk not counted). */
  sentChunks: number;
}

export async function startScriptedOpenAiServer(options: ScriptedOpenAiServerOptions = {}): Promise<ScriptedOpenAiServer> {
  let models = [...(options.models ?? ['scripted-model'])];
  let apiKey = options.apiKey;
  const whenEmpty = options.whenEmpty ?? 'echo';
  const queue: QueuedStep[] = [];
  const requests: RecordedRequest[] = [];
  const requestListeners = new Set<() => void>();
  let completionSeq = 0;

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the script or server: answer 500 if still possible, never crash the test run.
      if (!res.headersSent) sendJson(res, 500, errorBody(serverError(String(error))));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const rawBody = await readBody(req);
    if (rawBody === undefined) return; // client went away while sending
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: RecordedRequest = {
      seq: requests.length + 1,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
      receivedAt: Date.now(),
    };
    requests.push(record);
    for (const listener of requestListeners) listener();
    res.setHeader('x-request-id', `req_scripted_${record.seq}`);

    if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(res, 401, errorBody(authError(req.headers.authorization)));
      return;
    }
    if (record.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: models.map(modelObject) });
      return;
    }
    if (record.method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (models.includes(id)) sendJson(res, 200, modelObject(id));
      else sendJson(res, 404, errorBody({ message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' }));
      return;
    }
    if (record.method === 'POST' && path === CHAT_PATH) {
      await handleChat(record, res);
      return;
    }
    if (record.method === 'POST' && path === '/v1/embeddings') {
      const body = record.body as { model?: unknown; input?: unknown } | undefined;
      const input = body?.input;
      if (typeof body?.model !== 'string' || !(typeof input === 'string' || (Array.isArray(input) && input.every((item) => typeof item === 'string')))) {
        sendJson(res, 400, errorBody({ message: "'model' and 'input' (a string or an array of strings) are required.", type: 'invalid_request_error', param: 'input', code: null }));
        return;
      }
      sendJson(res, 200, embeddingsResponse(body as Parameters<typeof embeddingsResponse>[0]));
      return;
    }
    sendJson(res, 404, errorBody({ message: `Invalid URL (${record.method} ${path})`, type: 'invalid_request_error', param: null, code: null }));
  }

  async function handleChat(record: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = record.body;
    if (body === undefined || typeof body !== 'object' || Array.isArray(body)) {
      sendJson(res, 400, errorBody({ message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null }));
      return;
    }
    if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      const param = typeof body.model !== 'string' ? 'model' : 'messages';
      sendJson(res, 400, errorBody({ message: `Missing required parameter: '${param}'.`, type: 'invalid_request_error', param, code: 'missing_required_parameter' }));
      return;
    }

    const index = queue.findIndex(({ step }) => (step.model === undefined || step.model === body.model) && (step.match?.(record) ?? true));
    const queued = index >= 0 ? queue.splice(index, 1)[0] : undefined;
    const step = queued?.step ?? defaultStep(body);
    if (queued) {
      queued.request = record;
      queued.resolveServed(record);
    }

    const stream = body.stream === true;
    const controller = new AbortController();
    const exchange: Exchange = {
      res,
      body,
      stream,
      meta: {
        id: `chatcmpl-scripted${++completionSeq}`,
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        includeUsage: stream && body.stream_options?.include_usage === true,
      },
      gone: controller.signal,
      cutByScript: false,
      roleSent: false,
      sentChunks: 0,
    };
    res.on('close', () => {
      controller.abort();
      queued?.resolveOutcome(exchange.cutByScript ? 'cut' : res.writableFinished ? 'completed' : 'aborted');
    });
    await serveStep(exchange, step);
  }

  function defaultStep(body: Partial<ChatCompletionCreateParams>): ScriptedStep {
    if (whenEmpty === 'echo') return reply.text(lastUserText(body));
    if (whenEmpty === 'error') {
      return reply.error(500, `scripted-openai-server: no scripted step left for model '${String(body.model)}'`, {
        headers: { 'x-should-retry': 'false' },
      });
    }
    return whenEmpty;
  }

  const chatRequests = (): RecordedRequest[] => requests.filter((r) => r.method === 'POST' && r.path === CHAT_PATH);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    get requests() {
      return requests;
    },
    get chatRequests() {
      return chatRequests();
    },
    get pendingSteps() {
      return queue.length;
    },
    enqueue<S extends ScriptedStep[]>(...steps: S) {
      const handles = steps.map((step) => new QueuedStep(step));
      queue.push(...handles);
      return handles as { [K in keyof S]: ScriptedStepHandle };
    },
    setModels(ids) {
      models = [...ids];
    },
    setApiKey(key) {
      apiKey = key;
    },
    waitForChatRequests(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const chat = chatRequests();
          if (chat.length < count) return;
          cleanup();
          resolve(chat);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`waitForChatRequests: ${chatRequests().length}/${count} chat requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          requestListeners.delete(check);
        };
        requestListeners.add(check);
        check();
      });
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      return closed;
    },
  };
}

// ---------------------------------------------------------------------------
// Serving one step

async function serveStep(x: Exchange, step: ScriptedStep): Promise<void> {
  switch (step.kind) {
    case 'error':
      await pace(x, step.firstTokenDelayMs);
      sendJson(x.res, step.status, errorBody(step.error), step.headers);
      return;
    case 'disconnect':
      await pace(x, step.firstTokenDelayMs);
      cut(x);
      return;
    case 'text': {
      const chunks = step.chunks ?? splitText(step.text);
      await answer(x, step, step.text, chunks, [], step.finishReason ?? 'stop', step.usage);
      return;
    }
    case 'toolCalls': {
      const calls = step.calls.map((call, i): ResolvedToolCall => {
        const encoded = encodeArguments(call.arguments);
        return { id: call.id ?? `call_${x.meta.id.slice('chatcmpl-'.length)}_${i}`, name: call.name, arguments: encoded, pieces: splitArguments(call, encoded) };
      });
      const content = step.content ?? '';
      await answer(x, step, content, splitText(content), calls, 'tool_calls', step.usage);
      return;
    }
    case 'cut':
      if (x.stream) {
        startStream(x, step.headers);
        await pace(x, step.firstTokenDelayMs);
        await sendTextChunks(x, step.chunks, step.chunkDelayMs);
      } else {
        x.res.writeHead(200, { 'content-type': 'application/json', ...step.headers });
        await write(x.res, `{"id":"${x.meta.id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`);
      }
      cut(x);
      return;
    case 'hang':
      if (x.stream && step.chunks && step.chunks.length > 0) {
        startStream(x, step.headers);
        await pace(x, step.firstTokenDelayMs);
        await sendTextChunks(x, step.chunks, step.chunkDelayMs);
      }
      await untilGone(x.gone);
      return;
    case 'streamError':
      if (!x.stream) {
        sendJson(x.res, 500, errorBody(step.error), step.headers);
        return;
      }
      startStream(x, step.headers);
      await pace(x, step.firstTokenDelayMs);
      await sendTextChunks(x, step.chunks, step.chunkDelayMs);
      await write(x.res, sse(errorBody(step.error)));
      x.res.end();
      return;
  }
}

/** A successful answer (text and/or tool calls), streamed or not. */
async function answer(
  x: Exchange,
  step: ScriptedStep,
  content: string,
  textChunks: string[],
  calls: ResolvedToolCall[],
  finishReason: 'stop' | 'length' | 'content_filter' | 'tool_calls',
  usageOverride: Parameters<typeof makeUsage>[2],
): Promise<void> {
  const completionText = content + calls.map((c) => c.name + c.arguments).join('');
  const usage = makeUsage(x.body, completionText, usageOverride);
  if (!x.stream) {
    const pieces = textChunks.length + calls.reduce((n, c) => n + c.pieces.length, 0);
    await pace(x, (step.firstTokenDelayMs ?? 0) + (step.chunkDelayMs ?? 0) * Math.max(0, pieces - 1));
    if (x.gone.aborted) return;
    const message = calls.length > 0 && content === '' ? null : content;
    sendJson(x.res, 200, completion(x.meta, message, calls, finishReason, usage), step.headers);
    return;
  }

  startStream(x, step.headers);
  await pace(x, step.firstTokenDelayMs);
  if (calls.length === 0 || textChunks.length > 0) await sendTextChunks(x, textChunks, step.chunkDelayMs);
  for (const [index, call] of calls.entries()) {
    const head = { index, id: call.id, type: 'function' as const, function: { name: call.name, arguments: '' } };
    await send(x, step.chunkDelayMs, !x.roleSent ? { role: 'assistant', content: null, tool_calls: [head] } : { tool_calls: [head] });
    for (const piece of call.pieces) await send(x, step.chunkDelayMs, { tool_calls: [{ index, function: { arguments: piece } }] });
  }
  if (x.gone.aborted) return;
  await write(x.res, sse(chunk(x.meta, {}, finishReason)));
  if (x.meta.includeUsage) await write(x.res, sse(usageChunk(x.meta, usage)));
  await write(x.res, SSE_DONE);
  x.res.end();
}

/** The role chunk (`content: ""`), then one chunk per text piece. */
async function sendTextChunks(x: Exchange, pieces: string[], chunkDelayMs: number | undefined): Promise<void> {
  if (!x.roleSent && !x.gone.aborted) {
    await write(x.res, sse(chunk(x.meta, { role: 'assistant', content: '', refusal: null })));
    x.roleSent = true;
  }
  for (const piece of pieces) await send(x, chunkDelayMs, { content: piece });
}

/** One content / tool chunk; every one but the first is preceded by `chunkDelayMs`. */
async function send(x: Exchange, chunkDelayMs: number | undefined, delta: Parameters<typeof chunk>[1]): Promise<void> {
  if (x.sentChunks > 0) await pace(x, chunkDelayMs);
  if (x.gone.aborted) return;
  await write(x.res, sse(chunk(x.meta, delta)));
  x.sentChunks += 1;
  if (delta.role) x.roleSent = true;
}

function startStream(x: Exchange, headers: Record<string, string> | undefined): void {
  x.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  x.res.flushHeaders();
}

function cut(x: Exchange): void {
  x.cutByScript = true;
  x.res.socket?.destroy();
  x.res.destroy();
}

async function pace(x: Exchange, ms: number | undefined): Promise<void> {
  if (!ms || ms <= 0 || x.gone.aborted) return;
  await delay(ms, undefined, { signal: x.gone }).catch(() => undefined);
}

function untilGone(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

// ---------------------------------------------------------------------------
// HTTP helpers

function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) resolve();
    else res.write(data, () => resolve());
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = [];
  try {
    for await (const part of req) parts.push(part as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(parts).toString('utf8');
}

function parseJson(text: string): RecordedRequest['body'] {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as RecordedRequest['body'];
  } catch {
    return undefined;
  }
}

function modelObject(id: string): { id: string; object: 'model'; created: number; owned_by: string } {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' };
}

function serverError(message: string): OpenAiErrorObject {
  return { message, type: 'server_error', param: null, code: null };
}

function authError(authorization: string | undefined): OpenAiErrorObject {
  if (!authorization) {
    return { message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", type: 'invalid_request_error', param: null, code: null };
  }
  const key = authorization.replace(/^Bearer\s+/i, '');
  const masked = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
  return { message: `Incorrect API key provided: ${masked}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
}

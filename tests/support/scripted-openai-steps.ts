/**
 * Script steps for the scripted OpenAI-compatible test server
 * (see scripted-openai-server.ts). Each step answers exactly one
 * `POST /v1/chat/completions` request; build them with `reply.*`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

/** One request as the server received it (every endpoint, in arrival order). */
export interface RecordedRequest {
  /** 1-based arrival number across all endpoints. */
  readonly seq: number;
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Node lower-cases header names: `headers.authorization`. */
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when there was no body or it was not JSON. */
  readonly body: Partial<ChatCompletionCreateParams> | undefined;
  readonly rawBody: string;
  /** `Date.now()` when the body had been fully read. */
  readonly receivedAt: number;
}

/** The `error` member of OpenAI's error response body. */
export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Options every step accepts. */
export interface StepCommon {
  /** Serve only requests whose `body.model` equals this; others skip over this step. */
  model?: string;
  /** Further restriction: serve only requests for which this returns true. */
  match?: (request: RecordedRequest) => boolean;
  /** Wait before the first content chunk (streams: after the 200 headers went out). */
  firstTokenDelayMs?: number;
  /** Wait between consecutive content / tool-argument chunks. */
  chunkDelayMs?: number;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

export interface ScriptedToolCall {
  name: string;
  /** Object (JSON-encoded by the server) or an already-encoded JSON string. */
  arguments: unknown;
  /** Defaults to `call_<n>`. */
  id?: string;
  /** How the arguments string is streamed; must join to the encoded arguments. Default: 8-char pieces. */
  argumentChunks?: string[];
}

export type FinishReason = 'stop' | 'length' | 'content_filter';

/** Assistant text. Streams as `chunks` (default: one chunk per word with its trailing space). */
export interface TextStep extends StepCommon {
  kind: 'text';
  text: string;
  chunks?: string[];
  finishReason?: FinishReason;
  /** Overrides the estimated usage (estimate: tokens ≈ chars / 4). */
  usage?: Partial<CompletionUsage>;
}

/** One or several (parallel) tool calls, optionally preceded by assistant text. */
export interface ToolCallsStep extends StepCommon {
  kind: 'toolCalls';
  calls: ScriptedToolCall[];
  content?: string;
  usage?: Partial<CompletionUsage>;
}

/** A non-2xx answer with OpenAI's `{ error: { message, type, param, code } }` body. */
export interface ErrorStep extends StepCommon {
  kind: 'error';
  status: number;
  error: OpenAiErrorObject;
}

/** Streams: send `chunks` then destroy the socket (no finish chunk, no [DONE]). Non-streams: half a JSON body, then destroy. */
export interface CutStep extends StepCommon {
  kind: 'cut';
  chunks: string[];
}

/** Destroy the socket right away, before any response byte (a connection error to the client). */
export interface DisconnectStep extends StepCommon {
  kind: 'disconnect';
}

/** Never finish. Streams first send `chunks` (default none) and then stall; non-streams send nothing. Ends when the client goes away or the server closes. */
export interface HangStep extends StepCommon {
  kind: 'hang';
  chunks?: string[];
}

/** Streams: send `chunks`, then an SSE `data: {"error": …}` event, then end without [DONE]. Non-streams: behaves like a 500 with that error. */
export interface StreamErrorStep extends StepCommon {
  kind: 'streamError';
  chunks: string[];
  error: OpenAiErrorObject;
}

export type ScriptedStep = TextStep | ToolCallsStep | ErrorStep | CutStep | DisconnectStep | HangStep | StreamErrorStep;

/** How a served step ended: `cut` = the script destroyed the socket; `aborted` = the connection closed before the response finished (client abort or server close). */
export type StepOutcome = 'completed' | 'cut' | 'aborted';

/** Returned by `enqueue` for each step, to see what it served. */
export interface ScriptedStepHandle {
  readonly step: ScriptedStep;
  /** The request this step answered, once it has. */
  readonly request: RecordedRequest | undefined;
  /** Resolves when a request is assigned to this step (before any response byte). */
  readonly served: Promise<RecordedRequest>;
  /** Resolves when the response is over. */
  readonly outcome: Promise<StepOutcome>;
}

type Common = StepCommon;

function errorTypeFor(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function errorCodeFor(status: number): string | null {
  if (status === 401) return 'invalid_api_key';
  if (status === 404) return 'model_not_found';
  if (status === 429) return 'rate_limit_exceeded';
  return null;
}

/** Builders for script steps. */
export const reply = {
  /** Assistant text; `chunks` (if given) must join to `text`. */
  text(text: string, options: Common & Pick<TextStep, 'chunks' | 'finishReason' | 'usage'> = {}): TextStep {
    if (options.chunks && options.chunks.join('') !== text) {
      throw new Error('reply.text: chunks must join to the text');
    }
    return { kind: 'text', text, ...options };
  },

  /** Assistant text streamed exactly as these chunks. */
  chunks(chunks: string[], options: Common & Pick<TextStep, 'finishReason' | 'usage'> = {}): TextStep {
    return { kind: 'text', text: chunks.join(''), chunks, ...options };
  },

  /** A single tool call. */
  toolCall(name: string, args: unknown, options: Common & Omit<ScriptedToolCall, 'name' | 'arguments'> & Pick<ToolCallsStep, 'content' | 'usage'> = {}): ToolCallsStep {
    const { id, argumentChunks, content, usage, ...common } = options;
    const call: ScriptedToolCall = { name, arguments: args };
    if (id !== undefined) call.id = id;
    if (argumentChunks !== undefined) call.argumentChunks = argumentChunks;
    const step: ToolCallsStep = { kind: 'toolCalls', calls: [call], ...common };
    if (content !== undefined) step.content = content;
    if (usage !== undefined) step.usage = usage;
    return step;
  },

  /** Several tool calls in one assistant turn (parallel tool calls, indexes 0..n-1). */
  toolCalls(calls: ScriptedToolCall[], options: Common & Pick<ToolCallsStep, 'content' | 'usage'> = {}): ToolCallsStep {
    return { kind: 'toolCalls', calls, ...options };
  },

  /** An HTTP error with OpenAI's error body; type/code default from the status. */
  error(status: number, message = `Scripted error ${status}`, options: Common & Partial<Omit<OpenAiErrorObject, 'message'>> = {}): ErrorStep {
    const { type, param, code, ...common } = options;
    return {
      kind: 'error',
      status,
      error: { message, type: type ?? errorTypeFor(status), param: param ?? null, code: code === undefined ? errorCodeFor(status) : code },
      ...common,
    };
  },

  /** 429 with `Retry-After: <seconds>` (fractions allowed; the openai SDK honours them). */
  rateLimited(retryAfterSeconds = 0, options: Common = {}): ErrorStep {
    const step = reply.error(429, 'Rate limit reached for requests. Please try again later.', options);
    step.headers = { 'retry-after': String(retryAfterSeconds), ...options.headers };
    return step;
  },

  /** Stream cut mid-way: these chunks, then the socket is destroyed. */
  cut(chunks: string[] = ['Partial ', 'answer '], options: Common = {}): CutStep {
    return { kind: 'cut', chunks, ...options };
  },

  /** Connection dropped before any response (the SDK retries these when maxRetries > 0). */
  disconnect(options: Common = {}): DisconnectStep {
    return { kind: 'disconnect', ...options };
  },

  /** Never answers (streams may first send `chunks`), until the client aborts. */
  hang(options: Common & Pick<HangStep, 'chunks'> = {}): HangStep {
    return { kind: 'hang', ...options };
  },

  /** An error event inside an already-started stream. */
  streamError(chunks: string[], message = 'The server had an error while processing your request.', options: Common = {}): StreamErrorStep {
    return { kind: 'streamError', chunks, error: { message, type: 'server_error', param: null, code: null }, ...options };
  },
};

/**
 * OpenAI wire shapes (chat.completion, chat.completion.chunk, usage, errors)
 * for the scripted test server. Typed against the `openai` SDK's own types.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { OpenAiErrorObject, ScriptedToolCall } from './scripted-openai-steps';

export const SYSTEM_FINGERPRINT = 'fp_scripted';

/** Rough token estimate: ≈ 4 characters per token. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

/** Text of the last `role: "user"` message (string content or joined text parts). */
export function lastUserText(body: Partial<ChatCompletionCreateParams> | undefined): string {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return contentText(message.content);
  }
  return '';
}

/** Prompt tokens: each message's text and tool-call arguments, +4 per message, plus the tool schemas. */
export function estimatePromptTokens(body: Partial<ChatCompletionCreateParams> | undefined): number {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  let tokens = 0;
  for (const message of messages) {
    let text = contentText(message.content);
    if (message.role === 'assistant' && message.tool_calls) text += JSON.stringify(message.tool_calls);
    tokens += 4 + estimateTokens(text);
  }
  if (Array.isArray(body?.tools) && body.tools.length > 0) tokens += estimateTokens(JSON.stringify(body.tools));
  return tokens;
}

export function makeUsage(
  body: Partial<ChatCompletionCreateParams> | undefined,
  completionText: string,
  override: Partial<CompletionUsage> = {},
): CompletionUsage {
  const prompt = override.prompt_tokens ?? estimatePromptTokens(body);
  const completion = override.completion_tokens ?? estimateTokens(completionText);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: override.total_tokens ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    ...override,
  };
}

export function encodeArguments(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/** Word-ish pieces ("Hello ", "world"), the way tokens arrive. */
export function splitText(text: string): string[] {
  if (text === '') return [];
  return text.match(/\s*\S+\s*/g) ?? [text];
}

export function splitArguments(call: ScriptedToolCall, encoded: string): string[] {
  if (call.argumentChunks) {
    if (call.argumentChunks.join('') !== encoded) throw new Error(`argumentChunks of ${call.name} do not join to its arguments`);
    return call.argumentChunks;
  }
  const pieces: string[] = [];
  for (let i = 0; i < encoded.length; i += 8) pieces.push(encoded.slice(i, i + 8));
  return pieces;
}

/** A resolved tool call: id assigned, arguments encoded. */
export interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
  pieces: string[];
}

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
}

type Delta = ChatCompletionChunk.Choice.Delta;
type FinishReason = NonNullable<ChatCompletionChunk.Choice['finish_reason']>;

export function chunk(meta: CompletionMeta, delta: Delta, finishReason: FinishReason | null = null): ChatCompletionChunk {
  const out: ChatCompletionChunk = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  if (meta.includeUsage) out.usage = null;
  return out;
}

export function usageChunk(meta: CompletionMeta, usage: CompletionUsage): ChatCompletionChunk {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [],
    usage,
  };
}

export function completion(
  meta: CompletionMeta,
  content: string | null,
  toolCalls: ResolvedToolCall[],
  finishReason: FinishReason,
  usage: CompletionUsage,
): ChatCompletion {
  const message: ChatCompletion.Choice['message'] = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map(
      (call): ChatCompletionMessageFunctionToolCall => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }),
    );
  }
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

export function sse(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

export function errorBody(error: OpenAiErrorObject): { error: OpenAiErrorObject } {
  return { error };
}

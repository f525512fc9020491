import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ToolCall } from '#protocol';

export interface CompletionStep {
  text: string;
  toolCalls: ToolCall[];
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  finishReason: string | undefined;
}

export class StreamStalledError extends Error {
  constructor(idleMs: number) {
    super(`no data for ${Math.round(idleMs / 1000)} s`);
    this.name = 'StreamStalledError';
  }
}

/**
 * One streamed chat completion: text goes to `onText` as it arrives, tool calls are reassembled
 * from their pieces. A stream that goes silent for `idleTimeoutMs` is abandoned (the SDK's own
 * timeout stops at the response headers).
 */
export async function streamCompletion(
  client: OpenAI,
  request: Omit<ChatCompletionCreateParamsStreaming, 'stream' | 'stream_options'>,
  options: { signal: AbortSignal; idleTimeoutMs: number; onText(text: string): void; onFirstToken(): void },
): Promise<CompletionStep> {
  const idle = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(new StreamStalledError(options.idleTimeoutMs)), options.idleTimeoutMs);
  };
  const signal = AbortSignal.any([options.signal, idle.signal]);
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  const step: CompletionStep = { text: '', toolCalls: [], promptTokens: undefined, completionTokens: undefined, finishReason: undefined };
  let sawFirstToken = false;
  armIdleTimer();
  try {
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }, { signal });
    for await (const chunk of stream) {
      armIdleTimer();
      if (chunk.usage) {
        step.promptTokens = chunk.usage.prompt_tokens;
        step.completionTokens = chunk.usage.completion_tokens;
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) step.finishReason = choice.finish_reason;
      const delta = choice.delta;
      if (delta?.content) {
        if (!sawFirstToken) {
          sawFirstToken = true;
          options.onFirstToken();
        }
        step.text += delta.content;
        options.onText(delta.content);
      }
      for (const piece of delta?.tool_calls ?? []) {
        if (!sawFirstToken) {
          sawFirstToken = true;
          options.onFirstToken();
        }
        const call = calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        calls.set(piece.index, call);
      }
    }
    // The SDK ends the iteration quietly when its signal aborts: a stopped or stalled stream is not a complete answer.
    signal.throwIfAborted();
  } catch (error) {
    if (idle.signal.aborted && !options.signal.aborted) throw idle.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(idleTimer);
  }
  step.toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, call]) => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments }));
  return step;
}

/** The pieces of OpenAI's chat completion objects, so every OpenAI-compatible route writes the same shapes. */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function tokenUsage(promptTokens: number | undefined, completionTokens: number | undefined): TokenUsage {
  const prompt = promptTokens ?? 0;
  const completion = completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

export function chatCompletion(identity: CompletionIdentity, content: string, usage: TokenUsage) {
  return {
    ...identity,
    object: 'chat.completion' as const,
    choices: [{ index: 0, message: { role: 'assistant' as const, content, refusal: null }, finish_reason: 'stop' as const, logprobs: null }],
    usage,
  };
}

export function chatCompletionChunk(identity: CompletionIdentity, delta: object, finishReason: string | null = null) {
  return {
    ...identity,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
}

/** The extra last chunk `stream_options.include_usage` asks for: no choices, only usage. */
export function chatUsageChunk(identity: CompletionIdentity, usage: TokenUsage) {
  return { ...identity, object: 'chat.completion.chunk' as const, choices: [], usage };
}

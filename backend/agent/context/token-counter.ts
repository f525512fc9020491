import { countTokens } from 'gpt-tokenizer';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/** Tokens a message costs beyond its text (role, separators), per OpenAI's chat format. */
const PER_MESSAGE_OVERHEAD = 4;

/**
 * Counts with OpenAI's o200k tokenizer. Other families tokenise differently (often more tokens
 * for the same text), so their counts carry a safety margin.
 */
export function createTokenCounter(providerKind: string): (messages: ChatCompletionMessageParam[]) => number {
  const margin = providerKind === 'openai' ? 1 : 1.15;
  return (messages) => Math.ceil(messages.reduce((total, message) => total + messageTokens(message), 0) * margin);
}

export function messageTokens(message: ChatCompletionMessageParam): number {
  let tokens = PER_MESSAGE_OVERHEAD;
  if (typeof message.content === 'string') tokens += countTokens(message.content);
  else if (Array.isArray(message.content)) {
    for (const part of message.content) if ('text' in part && typeof part.text === 'string') tokens += countTokens(part.text);
  }
  if ('tool_calls' in message && message.tool_calls) {
    for (const call of message.tool_calls) {
      if (call.type === 'function') tokens += countTokens(call.function.name) + countTokens(call.function.arguments) + 3;
    }
  }
  return tokens;
}

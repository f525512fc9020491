import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

type CountTokens = (text: string) => number;

let tokenizer: Promise<CountTokens> | undefined;

/**
 * The o200k tokenizer loads its ranks on import (~0.1–0.4 s): loaded on first use, not at start,
 * so the backend is ready sooner; the agent warms it once it serves.
 */
export function loadTokenizer(): Promise<CountTokens> {
  tokenizer ??= import('gpt-tokenizer').then((module) => (text: string) => countKept(text, module.countTokens));
  return tokenizer;
}

/** Texts at least this long have their count kept: the system prompt, tool definitions and history repeat every turn. */
const KEPT_FROM_CHARS = 64;
/** At most this many characters of text are held as keys (a few MB). */
const KEPT_CHARS = 2_000_000;
const keptCounts = new Map<string, number>();
let keptChars = 0;

/** The tokenizer's count, kept for long texts (least recently used out first). */
function countKept(text: string, countTokens: CountTokens): number {
  if (text.length < KEPT_FROM_CHARS) return countTokens(text);
  const kept = keptCounts.get(text);
  if (kept !== undefined) {
    keptCounts.delete(text);
    keptCounts.set(text, kept);
    return kept;
  }
  const count = countTokens(text);
  if (text.length > KEPT_CHARS / 8) return count;
  keptCounts.set(text, count);
  keptChars += text.length;
  for (const oldest of keptCounts.keys()) {
    if (keptChars <= KEPT_CHARS) break;
    keptCounts.delete(oldest);
    keptChars -= oldest.length;
  }
  return count;
}

/** Tokens a message costs beyond its text (role, separators), per OpenAI's chat format. */
const PER_MESSAGE_OVERHEAD = 4;

/**
 * Counts with OpenAI's o200k tokenizer. Other families tokenise differently (often more tokens
 * for the same text), so their counts carry a safety margin.
 */
export async function createTokenCounter(providerKind: string): Promise<(messages: ChatCompletionMessageParam[]) => number> {
  const countTokens = await loadTokenizer();
  const margin = providerKind === 'openai' ? 1 : 1.15;
  return (messages) => Math.ceil(messages.reduce((total, message) => total + messageTokens(message, countTokens), 0) * margin);
}

function messageTokens(message: ChatCompletionMessageParam, countTokens: CountTokens): number {
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

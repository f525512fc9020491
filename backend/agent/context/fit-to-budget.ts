import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ParleyError } from '#protocol';

export interface ContextWindow {
  messages: ChatCompletionMessageParam[];
  droppedMessages: number;
  tokens: number;
}

/**
 * Fits system prompt + history + the current turn into `budget` tokens by dropping the oldest
 * history, a whole exchange at a time (a user message with the answers and tool results after
 * it), so a tool result never loses its call. The system prompt and the current turn are never
 * dropped: if they alone do not fit, the turn is refused with a clear message.
 */
export function fitToBudget(
  system: ChatCompletionMessageParam[],
  history: ChatCompletionMessageParam[],
  currentTurn: ChatCompletionMessageParam[],
  budget: number,
  count: (messages: ChatCompletionMessageParam[]) => number,
  /** Tokens the request spends outside the messages (tool definitions). */
  reservedTokens = 0,
): ContextWindow {
  const fixedTokens = count(system) + count(currentTurn) + reservedTokens;
  if (fixedTokens > budget) {
    throw new ParleyError('invalid_params', `The message needs about ${fixedTokens} tokens of context, more than the ${budget} allowed for this model`, {
      hint: 'Shorten the message, or raise the context budget for this model in the Models panel.',
    });
  }
  const exchanges = splitIntoExchanges(history);
  const exchangeTokens = exchanges.map((exchange) => count(exchange));
  let historyTokens = exchangeTokens.reduce((sum, tokens) => sum + tokens, 0);
  let first = 0;
  // Once anything is dropped, a short note says so, and it needs room too.
  const noteReserve = 24;
  while (first < exchanges.length && fixedTokens + historyTokens + (first > 0 ? noteReserve : 0) > budget) {
    historyTokens -= exchangeTokens[first]!;
    first++;
  }
  const kept = exchanges.slice(first).flat();
  const droppedMessages = exchanges.slice(0, first).reduce((sum, exchange) => sum + exchange.length, 0);
  const note: ChatCompletionMessageParam[] =
    droppedMessages > 0 ? [{ role: 'system', content: `(${droppedMessages} earlier messages of this conversation are not shown, to fit the context window.)` }] : [];
  const messages = [...system, ...note, ...kept, ...currentTurn];
  return { messages, droppedMessages, tokens: count(messages) };
}

function splitIntoExchanges(history: ChatCompletionMessageParam[]): ChatCompletionMessageParam[][] {
  const exchanges: ChatCompletionMessageParam[][] = [];
  for (const message of history) {
    if (message.role === 'user' || exchanges.length === 0) exchanges.push([message]);
    else exchanges[exchanges.length - 1]!.push(message);
  }
  return exchanges;
}

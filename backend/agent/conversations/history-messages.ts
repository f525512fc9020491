import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '#protocol';

/** Stored messages as the model reads them; stopped or failed answers are not part of the context. */
export function historyMessages(messages: Message[]): ChatCompletionMessageParam[] {
  const history: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    if (message.status !== 'complete') continue;
    if (message.role === 'user') history.push({ role: 'user', content: message.content });
    else if (message.role === 'assistant' && message.toolCalls.length > 0) {
      history.push({
        role: 'assistant',
        content: message.content || null,
        tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      });
    } else if (message.role === 'assistant') history.push({ role: 'assistant', content: message.content });
    else if (message.role === 'tool' && message.toolResult) {
      history.push({ role: 'tool', tool_call_id: message.toolResult.callId, content: message.toolResult.content });
    }
  }
  return history;
}

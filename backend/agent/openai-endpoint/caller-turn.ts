import { randomUUID } from 'node:crypto';
import { ParleyError } from '#protocol';
import type { CallerMessage, TurnRequest } from '../../platform/turns';
import type { ChatRequest } from './chat-request';

/**
 * An OpenAI client's request as a turn on the 'api' channel: the caller owns its history (its own
 * tool exchanges are not Parley's to replay; their text is what matters) and may add a system text.
 */
export function callerTurn(request: ChatRequest, signal: AbortSignal, onText: (text: string) => void): TurnRequest {
  const messages = request.messages;
  const last = messages[messages.length - 1]!;
  if (last.role !== 'user') throw new ParleyError('invalid_params', 'The last message must come from the user');
  const callerSystemPrompt = messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => message.content ?? '')
    .join('\n\n');
  const history: CallerMessage[] = [];
  for (const message of messages.slice(0, -1)) {
    if (message.role === 'user') history.push({ role: 'user', content: message.content ?? '' });
    else if (message.role === 'assistant' && message.content) history.push({ role: 'assistant', content: message.content });
  }
  return { channel: 'api', turnId: randomUUID(), text: last.content ?? '', history, callerSystemPrompt, signal, onText };
}

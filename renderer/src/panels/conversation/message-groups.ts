import type { AnswerMeta, Message, ToolCall, ToolResult } from '#protocol';
import type { RunningTurn } from './turn-store';

export interface ToolExchange {
  call: ToolCall;
  result?: ToolResult;
}

export interface UserEntry {
  kind: 'user';
  id: string;
  text: string;
}

export interface AnswerEntry {
  kind: 'answer';
  id: string;
  text: string;
  tools: ToolExchange[];
  meta?: AnswerMeta;
  status: Message['status'];
}

export type ThreadEntry = UserEntry | AnswerEntry;

/**
 * Turns stored messages into what the thread shows: each user message, then one answer made of
 * the assistant and tool messages that follow it (tool calls paired with their results).
 */
export function groupMessages(messages: readonly Message[]): ThreadEntry[] {
  const entries: ThreadEntry[] = [];
  let answer: AnswerEntry | null = null;
  for (const message of messages) {
    if (message.role === 'system') continue;
    if (message.role === 'user') {
      answer = null;
      entries.push({ kind: 'user', id: message.id, text: message.content });
      continue;
    }
    if (!answer) {
      answer = { kind: 'answer', id: message.id, text: '', tools: [], status: message.status };
      entries.push(answer);
    }
    if (message.role === 'assistant') {
      answer.id = message.id;
      answer.text = joinParagraphs(answer.text, message.content);
      answer.status = message.status;
      if (message.meta) answer.meta = message.meta;
      for (const call of message.toolCalls) answer.tools.push({ call });
    } else if (message.toolResult) {
      const result = message.toolResult;
      const exchange = answer.tools.find((tool) => tool.call.id === result.callId && !tool.result);
      if (exchange) exchange.result = result;
      else answer.tools.push({ call: { id: result.callId, name: result.name, arguments: '' }, result });
    }
  }
  return entries;
}

/** Text the model wrote before a tool round and after it, kept as separate paragraphs. */
export function joinParagraphs(before: string, after: string): string {
  if (!before.trim()) return after;
  if (!after.trim()) return before;
  return `${before.replace(/\s+$/, '')}\n\n${after.replace(/^\s+/, '')}`;
}

/**
 * Stored entries, less the answer a regeneration replaces, plus the user message a send just made.
 * The live answer is the turn's: what the backend stored of it (messages may reload mid-turn) is hidden until the turn ends.
 */
export function visibleEntries(messages: readonly Message[], turn: Pick<RunningTurn, 'kind' | 'turnId' | 'userText' | 'userMessage'> | null): ThreadEntry[] {
  const entries = groupMessages(messages);
  if (!turn) return entries;
  if (turn.kind === 'regenerate') {
    const last = entries.findLastIndex((entry) => entry.kind === 'answer');
    return last === entries.length - 1 && last >= 0 ? entries.slice(0, -1) : entries;
  }
  const stored = turn.userMessage ? entries.findIndex((entry) => entry.id === turn.userMessage!.id) : -1;
  return stored >= 0 ? entries.slice(0, stored + 1) : [...entries, { kind: 'user', id: `pending-${turn.turnId}`, text: turn.userMessage?.content ?? turn.userText }];
}

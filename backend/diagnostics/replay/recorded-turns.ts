import type { Message, ReplayAnswerSide } from '#protocol';
import type { CallerMessage } from '../../platform/turns';

/** One user turn of a recorded conversation, as a replay needs it. */
export interface RecordedTurn {
  /** Position among the conversation's user messages. */
  index: number;
  userText: string;
  /** What the model was shown before: earlier user messages and complete answers (stopped or failed ones never became context). */
  history: CallerMessage[];
  original: ReplayAnswerSide;
}

/**
 * Splits a stored conversation into its user turns: each user message, the tool calls the agent
 * made for it, and its final answer with sources and timings. Each replayed turn gets the
 * original history, not the replay's earlier answers, so one divergent answer does not change
 * what every later turn is compared on.
 */
export function recordedTurns(messages: readonly Message[]): RecordedTurn[] {
  const turns: RecordedTurn[] = [];
  const history: CallerMessage[] = [];
  let index = 0;
  for (let position = 0; position < messages.length; position++) {
    const message = messages[position]!;
    if (message.role !== 'user') continue;
    const answers: Message[] = [];
    for (let next = position + 1; next < messages.length && messages[next]!.role !== 'user'; next++) answers.push(messages[next]!);
    const final = [...answers].reverse().find((answer) => answer.role === 'assistant' && answer.toolCalls.length === 0);
    const tools = answers.flatMap((answer) => (answer.role === 'assistant' ? answer.toolCalls.map((call) => call.name) : []));
    turns.push({
      index: index++,
      userText: message.content,
      history: [...history],
      original: {
        text: final?.content ?? '',
        tools,
        sources: final?.meta?.sources ?? [],
        totalMs: final?.meta?.totalMs ?? null,
        firstTokenMs: final?.meta?.timeToFirstTokenMs ?? null,
        model: final?.meta ? `${final.meta.providerId}/${final.meta.model}` : null,
        status: final ? final.status : 'missing',
        error: null,
      },
    });
    if (message.status === 'complete') history.push({ role: 'user', content: message.content });
    if (final?.status === 'complete') history.push({ role: 'assistant', content: final.content });
  }
  return turns;
}

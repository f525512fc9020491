import { ParleyError, type BroadcastEvent, type Message } from '#protocol';
import type { SettingsRepository } from '../store';
import type { ConversationRepository, NewMessage } from './conversations/conversation-repository';
import { historyMessages } from './conversations/history-messages';
import { systemMessages } from './loop/grounding';
import { AgentTurnStopped, runAgentTurn, type AgentTurnOutcome, type TurnObserver } from './loop/run-agent-turn';
import { resolveModelCandidates } from './model-candidates';
import type { ProviderRepository } from './providers/provider-repository';
import type { ToolRegistry } from './tools/tool-registry';
import { TurnEventPublisher } from './turn-event-publisher';

const DEFAULT_TITLE = 'New conversation';

export interface ConsoleTurnDependencies {
  conversations: ConversationRepository;
  providers: ProviderRepository;
  settings: SettingsRepository;
  registry: ToolRegistry;
  broadcast: BroadcastEvent;
}

/**
 * The console channel's turn: stores the user's message, runs the agent, stores what it did
 * (tool calls, results, answer) in one transaction, and publishes progress to every window.
 * A stopped or failed answer is stored as such and never becomes context for later turns.
 */
export class ConsoleTurns {
  constructor(private readonly deps: ConsoleTurnDependencies) {}

  /** `onText` also receives the answer's text as it streams (the voice loop speaks it). */
  async send(conversationId: string, text: string, turnId: string, signal: AbortSignal, onText?: (text: string) => void): Promise<Message> {
    const conversation = await this.deps.conversations.get(conversationId);
    const earlier = await this.deps.conversations.messages(conversationId);
    const [userMessage] = await this.deps.conversations.append(conversationId, [{ role: 'user', content: text, status: 'complete' }]);
    if (conversation.title === DEFAULT_TITLE && !earlier.some((message) => message.role === 'user')) {
      await this.deps.conversations.rename(conversationId, titleFrom(text));
    }
    return this.answer(conversationId, userMessage!, earlier, turnId, signal, onText);
  }

  async regenerate(conversationId: string, turnId: string, signal: AbortSignal): Promise<Message> {
    const userMessage = await this.deps.conversations.truncateAfterLastUserMessage(conversationId);
    const earlier = (await this.deps.conversations.messages(conversationId)).filter((message) => message.id !== userMessage.id);
    this.deps.broadcast('conversations.changed', { conversationId });
    return this.answer(conversationId, userMessage, earlier, turnId, signal);
  }

  private async answer(
    conversationId: string,
    userMessage: Message,
    earlier: Message[],
    turnId: string,
    signal: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<Message> {
    const { broadcast } = this.deps;
    broadcast('agent.turn.started', { turnId, conversationId, userMessage });
    const publisher = new TurnEventPublisher(turnId, broadcast);
    let outcome: AgentTurnOutcome;
    try {
      const settings = await this.deps.settings.getAll();
      outcome = await runAgentTurn({
        channel: 'console',
        conversationId,
        system: systemMessages(settings['agent.console.systemPrompt']),
        history: historyMessages(earlier),
        userMessage: { role: 'user', content: userMessage.content },
        candidates: await resolveModelCandidates('console', settings, this.deps.providers),
        registry: this.deps.registry,
        maxSteps: settings['agent.maxSteps'],
        signal,
        observer: onText ? { ...bindObserver(publisher), onText: (text) => (publisher.onText(text), onText(text)) } : publisher,
      });
    } catch (error) {
      publisher.flush();
      const stopped = error instanceof AgentTurnStopped ? error : new AgentTurnStopped(toParleyError(error), '');
      if (stopped.partialText) {
        await this.deps.conversations.append(conversationId, [
          { role: 'assistant', content: stopped.partialText, status: stopped.reason.code === 'cancelled' ? 'cancelled' : 'failed' },
        ]);
      }
      broadcast('agent.turn.failed', { turnId, conversationId, error: stopped.reason.toWire() });
      broadcast('conversations.changed', { conversationId });
      throw stopped.reason;
    }
    publisher.flush();
    const stored = await this.deps.conversations.append(conversationId, [
      ...outcome.toolRounds.flatMap((round): NewMessage[] => [
        { role: 'assistant', content: round.text, toolCalls: round.calls, status: 'complete' },
        ...round.results.map((result): NewMessage => ({ role: 'tool', content: '', toolResult: result, status: 'complete' })),
      ]),
      { role: 'assistant', content: outcome.text, meta: outcome.meta, status: 'complete' },
    ]);
    const answer = stored[stored.length - 1]!;
    broadcast('agent.turn.finished', { turnId, message: answer, meta: outcome.meta });
    broadcast('conversations.changed', { conversationId });
    return answer;
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  return new ParleyError('internal', `The turn failed: ${error instanceof Error ? error.message : String(error)}`, { hint: 'See the Diagnostics panel log.' });
}

function bindObserver(observer: TurnObserver): TurnObserver {
  return {
    onModel: observer.onModel.bind(observer),
    onText: observer.onText.bind(observer),
    onToolCall: observer.onToolCall.bind(observer),
    onToolResult: observer.onToolResult.bind(observer),
  };
}

import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ParleyError, type Channel, type Message } from '#protocol';
import { toDisposable, toParleyError, type Disposable } from '../../base';
import type { PublishEvent } from '../../platform/events';
import type { ToolRegistry } from '../../platform/tools';
import type { ChannelTurnConfig, TurnRequest, TurnResult, TurnRunner } from '../../platform/turns';
import type { SettingsRepository } from '../../store';
import type { ConversationRepository, NewMessage } from '../conversations/conversation-repository';
import { historyMessages } from '../conversations/history-messages';
import { systemMessages } from '../loop/grounding';
import { AgentTurnStopped, runAgentTurn, type AgentTurnOutcome, type TurnObserver } from '../loop/run-agent-turn';
import { resolveModelCandidates } from '../model-candidates';
import type { ProviderRepository } from '../providers/provider-repository';
import { TurnEventPublisher } from '../turn-event-publisher';
import { channelLabels, defaultChannelConfigs } from './channel-configs';
import { currentSession } from './session-history';

const DEFAULT_TITLE = 'New conversation';

export interface ChannelTurnDependencies {
  conversations: ConversationRepository;
  providers: ProviderRepository;
  settings: SettingsRepository;
  tools: ToolRegistry;
  publish: PublishEvent;
  /** Where each turn's stage durations go (parley_stage_duration_seconds); failures count as errors of the stage. */
  observeStage?(stage: 'llm_first_token' | 'llm_total' | 'tool', milliseconds: number, outcome?: 'ok' | 'error'): void;
}

/**
 * The one turn runner: console, voice, the OpenAI-compatible endpoint and WhatsApp all run their
 * turns here. A channel's config picks the model, prompt, tools and memory; nothing below
 * branches on the channel. With stored memory the user's message and everything the agent did
 * (tool calls, results, answer) are stored, and progress is published on the conversation's
 * topic; a stopped or failed answer is stored as such and never becomes context for later turns.
 */
export class ChannelTurns implements TurnRunner {
  private readonly configs = new Map<Channel, ChannelTurnConfig>(Object.entries(defaultChannelConfigs) as Array<[Channel, ChannelTurnConfig]>);

  constructor(private readonly deps: ChannelTurnDependencies) {}

  configureChannel(channel: Channel, config: ChannelTurnConfig): Disposable {
    const previous = this.configs.get(channel)!;
    this.configs.set(channel, config);
    return toDisposable(() => {
      if (this.configs.get(channel) === config) this.configs.set(channel, previous);
    });
  }

  async assertConversation(conversationId: string): Promise<void> {
    await this.deps.conversations.get(conversationId);
  }

  async run(request: TurnRequest): Promise<TurnResult> {
    const config = this.configs.get(request.channel)!;
    if (config.memory.kind === 'caller') return this.runUnstored(request, config);
    if (!request.conversationId) throw new ParleyError('invalid_params', `A ${channelLabels[request.channel]} turn needs a conversation`);
    const conversationId = request.conversationId;
    const conversation = await this.deps.conversations.get(conversationId);
    // The same turn again (a job resumed after a crash): what the interrupted run stored goes first.
    if (request.userMessageId) await this.deps.conversations.removeFrom(conversationId, request.userMessageId);
    const earlier = await this.deps.conversations.messages(conversationId);
    const [userMessage] = await this.deps.conversations.append(conversationId, [{ id: request.userMessageId, role: 'user', content: request.text, status: 'complete' }]);
    if (conversation.title === DEFAULT_TITLE && !earlier.some((message) => message.role === 'user')) {
      await this.deps.conversations.rename(conversationId, titleFrom(request.text));
    }
    return this.answerStored(request, config, userMessage!, currentSession(earlier, config.memory.idleExpiryMs));
  }

  /** The console's "regenerate": drops the last answer and runs its user message again. */
  async regenerate(channel: Channel, conversationId: string, turnId: string, signal: AbortSignal): Promise<TurnResult> {
    const config = this.configs.get(channel)!;
    const userMessage = await this.deps.conversations.truncateAfterLastUserMessage(conversationId);
    const earlier = (await this.deps.conversations.messages(conversationId)).filter((message) => message.id !== userMessage.id);
    this.deps.publish('conversations.changed', { conversationId });
    const memory = config.memory.kind === 'stored' ? config.memory.idleExpiryMs : undefined;
    return this.answerStored({ channel, turnId, text: userMessage.content, conversationId, signal }, config, userMessage, currentSession(earlier, memory));
  }

  private async runUnstored(request: TurnRequest, config: ChannelTurnConfig): Promise<TurnResult> {
    const history: ChatCompletionMessageParam[] = (request.history ?? []).map((message) => ({ role: message.role, content: message.content }));
    try {
      const outcome = await this.runLoop(request, config, history, request.onText ? bindText(request.onText) : silentObserver);
      return { text: outcome.text, meta: outcome.meta, message: undefined, toolCalls: outcome.toolRounds.flatMap((round) => round.calls) };
    } catch (error) {
      throw error instanceof AgentTurnStopped ? error.reason : toParleyError(error, 'The turn failed');
    }
  }

  private async answerStored(request: TurnRequest, config: ChannelTurnConfig, userMessage: Message, earlier: Message[]): Promise<TurnResult> {
    const { publish } = this.deps;
    const conversationId = userMessage.conversationId;
    const { turnId } = request;
    publish('agent.turn.started', { turnId, conversationId, userMessage });
    const publisher = new TurnEventPublisher(turnId, conversationId, publish);
    const onText = request.onText;
    const observer: TurnObserver = onText ? { ...bindObserver(publisher), onText: (text) => (publisher.onText(text), onText(text)) } : publisher;
    let outcome: AgentTurnOutcome;
    try {
      outcome = await this.runLoop(request, config, historyMessages(earlier), observer);
    } catch (error) {
      publisher.flush();
      const stopped = error instanceof AgentTurnStopped ? error : new AgentTurnStopped(toParleyError(error, 'The turn failed'), '');
      if (stopped.partialText) {
        await this.deps.conversations.append(conversationId, [
          { role: 'assistant', content: stopped.partialText, status: stopped.reason.code === 'cancelled' ? 'cancelled' : 'failed' },
        ]);
      }
      publish('agent.turn.failed', { turnId, conversationId, error: stopped.reason.toWire() });
      publish('conversations.changed', { conversationId });
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
    publish('agent.turn.finished', { turnId, conversationId, message: answer, meta: outcome.meta });
    publish('conversations.changed', { conversationId });
    return { text: outcome.text, meta: outcome.meta, message: answer, toolCalls: outcome.toolRounds.flatMap((round) => round.calls) };
  }

  private async runLoop(request: TurnRequest, config: ChannelTurnConfig, history: ChatCompletionMessageParam[], observer: TurnObserver): Promise<AgentTurnOutcome> {
    const settings = await this.deps.settings.getAll();
    const prompt = [config.systemPrompt(settings), request.callerSystemPrompt ?? ''].filter((part) => part.trim()).join('\n\n');
    const allows = config.allowsTool ?? ((tool) => tool.channels.includes(request.channel));
    const started = performance.now();
    const outcome = await runAgentTurn({
      channel: request.channel,
      conversationId: request.conversationId,
      system: systemMessages(prompt),
      history,
      userMessage: { role: 'user', content: request.text },
      candidates: await resolveModelCandidates(channelLabels[request.channel], config.model(settings), settings, this.deps.providers),
      tools: this.deps.tools.all().filter(allows),
      maxSteps: settings['agent.maxSteps'],
      signal: request.signal,
      observer,
    }).catch((error: unknown) => {
      // A turn that failed (not one the user stopped) is an error of the LLM stage, for the error rate.
      if (!request.signal.aborted) this.stageObserver(request)?.('llm_total', performance.now() - started, 'error');
      throw error;
    });
    this.recordStages(outcome, this.stageObserver(request));
    return outcome;
  }

  /** Replays (Diagnostics trying another model on old turns) stay out of the live stage metrics. */
  private stageObserver(request: TurnRequest): ChannelTurnDependencies['observeStage'] {
    return request.channel === 'replay' ? undefined : this.deps.observeStage;
  }

  private recordStages(outcome: AgentTurnOutcome, observe: ChannelTurnDependencies['observeStage']): void {
    if (!observe) return;
    if (outcome.meta.timeToFirstTokenMs !== undefined) observe('llm_first_token', outcome.meta.timeToFirstTokenMs);
    observe('llm_total', outcome.meta.totalMs);
    for (const round of outcome.toolRounds) for (const result of round.results) observe('tool', result.ms, result.ok ? 'ok' : 'error');
  }
}

const silentObserver: TurnObserver = { onModel: () => {}, onText: () => {}, onToolCall: () => {}, onToolResult: () => {} };

function bindText(onText: (text: string) => void): TurnObserver {
  return { ...silentObserver, onText };
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

function bindObserver(observer: TurnObserver): TurnObserver {
  return {
    onModel: observer.onModel.bind(observer),
    onText: observer.onText.bind(observer),
    onToolCall: observer.onToolCall.bind(observer),
    onToolResult: observer.onToolResult.bind(observer),
  };
}

import type { AnswerMeta, Channel, Message, ModelRef, Settings, ToolCall } from '#protocol';
import type { Disposable } from '../../base';
import type { AgentTool } from '../tools';

/** A message the caller keeps itself (the OpenAI-compatible endpoint's clients send their whole history). */
export interface CallerMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** One turn, from whichever channel: the channel's config decides the model, prompt, tools and memory. */
export interface TurnRequest {
  channel: Channel;
  /** Correlates the turn's events (agent.turn.*) and its cancellation. */
  turnId: string;
  /** The user's words (typed, transcribed, or a WhatsApp message batch). */
  text: string;
  /** For channels whose memory is stored: the conversation the turn belongs to. */
  conversationId?: string;
  /**
   * Stored memory: the id to store the user's message under. A turn run again with the same id (a
   * job resumed after a crash) replaces that message and whatever the interrupted run stored after
   * it, so the conversation never holds the user's words twice.
   */
  userMessageId?: string;
  /** For channels whose memory is the caller's: the history before `text`. */
  history?: CallerMessage[];
  /** The caller's own system text, after the channel's prompt (OpenAI clients send one). */
  callerSystemPrompt?: string;
  signal: AbortSignal;
  /** The answer's text as it streams (voice speaks it, the OpenAI endpoint forwards it). */
  onText?(text: string): void;
}

export interface TurnResult {
  text: string;
  meta: AnswerMeta;
  /** The stored answer, for channels whose memory is stored. */
  message: Message | undefined;
  /** Every tool call the model made, in order (a replay compares them with the original's). */
  toolCalls?: ToolCall[];
}

/**
 * How a channel's turns are run. No channel is special inside the loop: what differs between
 * the console, the API, voice and WhatsApp is only this.
 */
export interface ChannelTurnConfig {
  /** The chat model, or null when the channel has none chosen (then the turn fails with a hint). */
  model(settings: Settings): ModelRef | null;
  /** The channel's prompt, after Parley's grounding rules. */
  systemPrompt(settings: Settings): string;
  /** Whether a tool may be offered on this channel (default: the tool lists the channel). */
  allowsTool?(tool: AgentTool): boolean;
  /**
   * 'stored': the conversation is kept in the app store, turns are published on its topic, and
   * history older than `idleExpiryMs` before the last message is not sent (a new session).
   * 'caller': nothing is stored; the request carries the history.
   */
  memory: { kind: 'stored'; idleExpiryMs?: number } | { kind: 'caller' };
}

export interface TurnRunner {
  run(request: TurnRequest): Promise<TurnResult>;
  /** Rejects (not_found) when the stored conversation does not exist: a voice stream checks when it opens. */
  assertConversation(conversationId: string): Promise<void>;
  /** Replaces a channel's config (WhatsApp brings its own); disposing restores the previous one. */
  configureChannel(channel: Channel, config: ChannelTurnConfig): Disposable;
}

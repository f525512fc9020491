import type { ToolCall, ToolResult } from '#protocol';
import type { PublishEvent } from '../platform/events';
import type { ModelCandidate, TurnObserver } from './loop/run-agent-turn';

const DELTA_BATCH_MS = 16;

/**
 * Publishes a turn's progress as agent.turn.* events. The first text goes out at once (time to
 * first token is what the user feels); later text is coalesced to about one event per frame.
 */
export class TurnEventPublisher implements TurnObserver {
  private pendingText = '';
  private timer: NodeJS.Timeout | undefined;
  private sentFirstText = false;

  constructor(
    private readonly turnId: string,
    private readonly conversationId: string,
    private readonly broadcast: PublishEvent,
  ) {}

  onModel(candidate: ModelCandidate, fallbackFrom: ModelCandidate | undefined): void {
    this.pendingText = '';
    this.sentFirstText = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.broadcast('agent.turn.model', {
      turnId: this.turnId,
      conversationId: this.conversationId,
      providerId: candidate.provider.id,
      model: candidate.model,
      fallbackFrom: fallbackFrom ? `${fallbackFrom.provider.name} / ${fallbackFrom.model}` : undefined,
    });
  }

  onText(text: string): void {
    this.pendingText += text;
    if (!this.sentFirstText) {
      this.sentFirstText = true;
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), DELTA_BATCH_MS);
  }

  onToolCall(call: ToolCall): void {
    this.flush();
    this.broadcast('agent.turn.toolCall', { turnId: this.turnId, conversationId: this.conversationId, call });
  }

  onToolResult(result: ToolResult): void {
    this.broadcast('agent.turn.toolResult', { turnId: this.turnId, conversationId: this.conversationId, result });
  }

  /** Sends whatever text is still held back; call before the turn's final event. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pendingText) return;
    const text = this.pendingText;
    this.pendingText = '';
    this.broadcast('agent.turn.delta', { turnId: this.turnId, conversationId: this.conversationId, text });
  }
}

import { randomUUID } from 'node:crypto';
import { ParleyError, type ActionConfirmation, type Channel } from '#protocol';
import type { PublishEvent } from '../../platform/events';

export type ConfirmationOutcome = 'approved' | 'rejected' | 'expired' | 'cancelled';

interface Waiting {
  confirmation: ActionConfirmation;
  settle(outcome: ConfirmationOutcome): void;
}

export interface ConfirmationRequest {
  tool: string;
  /** Shown to the person deciding: the exact call, secrets masked. */
  arguments: unknown;
  channel: Channel;
  conversationId: string | undefined;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Calls waiting for a person's approval. The tool's call waits on its record; `actions.confirm`
 * settles it; the console hears both ends on the `actions` topic. A record settles once: a second
 * approval of the same call finds nothing, so a booking approved twice is still made once.
 */
export class PendingConfirmations {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly publish: PublishEvent) {}

  list(): ActionConfirmation[] {
    return [...this.waiting.values()].map((entry) => entry.confirmation);
  }

  request(request: ConfirmationRequest): Promise<ConfirmationOutcome> {
    const now = Date.now();
    const confirmation: ActionConfirmation = {
      id: randomUUID(),
      tool: request.tool,
      arguments: request.arguments,
      channel: request.channel,
      conversationId: request.conversationId,
      requestedAt: now,
      expiresAt: now + request.timeoutMs,
    };
    return new Promise<ConfirmationOutcome>((resolve) => {
      const timer = setTimeout(() => settle('expired'), request.timeoutMs);
      const onAbort = () => settle('cancelled');
      const settle = (outcome: ConfirmationOutcome) => {
        if (!this.waiting.delete(confirmation.id)) return;
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
        this.publish('actions.confirmation.resolved', { id: confirmation.id, outcome });
        resolve(outcome);
      };
      this.waiting.set(confirmation.id, { confirmation, settle });
      if (request.signal.aborted) return settle('cancelled');
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.publish('actions.confirmation.requested', confirmation);
    });
  }

  decide(id: string, approve: boolean): ActionConfirmation {
    const entry = this.waiting.get(id);
    if (!entry) {
      throw new ParleyError('not_found', 'No call is waiting for this approval', {
        hint: 'It was already approved or rejected, it expired, or its turn was stopped.',
      });
    }
    entry.settle(approve ? 'approved' : 'rejected');
    return entry.confirmation;
  }

  /** On stop: every waiting call is refused, none left hanging. */
  cancelAll(): void {
    for (const entry of [...this.waiting.values()]) entry.settle('cancelled');
  }
}

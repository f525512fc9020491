import { randomUUID } from 'node:crypto';
import { ParleyError, type Channel, type Confirmation, type ConfirmationOutcome } from '#protocol';
import { toDisposable, type Disposable } from '../../base';
import type { PublishEvent } from '../events';

/**
 * How a channel puts a waiting call before the person who decides there: the console shows a card
 * by itself (it hears `confirmation.requested`); WhatsApp sends the contact reply buttons.
 */
export interface ConfirmationPresenter {
  present(confirmation: Confirmation): Promise<void>;
}

export interface ConfirmationRequest {
  source: string;
  tool: string;
  summary: string;
  /** Shown to the person deciding: the exact call, secrets masked. */
  arguments: unknown;
  channel: Channel;
  conversationId: string | undefined;
  signal: AbortSignal;
}

interface Waiting {
  confirmation: Confirmation;
  settle(outcome: ConfirmationOutcome): void;
}

/**
 * Calls waiting for a person's approval, whichever capability asks (actions, database writes).
 * The call waits on its record; `decide` settles it, once: a second approval of the same call finds
 * nothing, so a booking approved twice is still made once.
 */
export class ConfirmationCenter {
  private readonly waiting = new Map<string, Waiting>();
  private readonly presenters = new Map<Channel, ConfirmationPresenter>();

  constructor(
    private readonly publish: PublishEvent,
    private readonly timeoutMs: () => Promise<number>,
  ) {}

  /** The console's operator can always decide; the API channel has nobody to ask; WhatsApp once its bridge presents. */
  canConfirmOn(channel: Channel): boolean {
    return channel === 'console' || this.presenters.has(channel);
  }

  presentOn(channel: Channel, presenter: ConfirmationPresenter): Disposable {
    this.presenters.set(channel, presenter);
    return toDisposable(() => {
      if (this.presenters.get(channel) === presenter) this.presenters.delete(channel);
    });
  }

  list(): Confirmation[] {
    return [...this.waiting.values()].map((entry) => entry.confirmation);
  }

  /** The waiting call of a conversation, if any (a WhatsApp contact answering "yes" in words). */
  waitingIn(conversationId: string): Confirmation | undefined {
    return this.list().find((confirmation) => confirmation.conversationId === conversationId);
  }

  async request(request: ConfirmationRequest): Promise<ConfirmationOutcome> {
    if (!this.canConfirmOn(request.channel)) {
      throw new ParleyError('forbidden', `${request.tool} needs a person's approval, which the ${request.channel} channel cannot give`);
    }
    const timeoutMs = await this.timeoutMs();
    const now = Date.now();
    const confirmation: Confirmation = {
      id: randomUUID(),
      source: request.source,
      tool: request.tool,
      summary: request.summary,
      arguments: request.arguments,
      channel: request.channel,
      conversationId: request.conversationId,
      requestedAt: now,
      expiresAt: now + timeoutMs,
    };
    const presenter = this.presenters.get(request.channel);
    return new Promise<ConfirmationOutcome>((resolve) => {
      const timer = setTimeout(() => settle('expired'), timeoutMs);
      const onAbort = () => settle('cancelled');
      const settle = (outcome: ConfirmationOutcome) => {
        if (!this.waiting.delete(confirmation.id)) return;
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
        this.publish('confirmation.resolved', { id: confirmation.id, outcome, conversationId: confirmation.conversationId });
        resolve(outcome);
      };
      this.waiting.set(confirmation.id, { confirmation, settle });
      if (request.signal.aborted) return settle('cancelled');
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.publish('confirmation.requested', confirmation);
      // A question the contact never received cannot be answered: the call is refused at once.
      presenter?.present(confirmation).catch(() => settle('cancelled'));
    });
  }

  decide(id: string, approve: boolean): Confirmation {
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

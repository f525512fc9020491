import { randomUUID } from 'node:crypto';
import type { Confirmation } from '#protocol';
import type { ConfirmationCenter, ConfirmationPresenter } from '../../platform/confirmations';
import type { Logger } from '../../platform/observability';
import type { InteractiveContent } from '../adapter/messaging-adapter';
import type { InboundMessage } from '../inbound/inbound-message';
import type { OutboundSender } from '../outbound/outbound-sender';
import type { ContactRepository } from '../store/contact-repository';
import type { MessageRepository } from '../store/message-repository';

/** Words that answer a waiting question (any case, trimmed). "stop" is not one: it is an opt-out keyword. "1"/"2" answer WAHA's numbered choices. */
const YES = new Set(['yes', 'y', 'yes please', 'confirm', 'confirmed', 'ok', 'okay', '1', '👍']);
const NO = new Set(['no', 'n', 'cancel', 'no thanks', '2', '👎']);

const BODY_MAX = 1024;

/** A contact's answer to a waiting confirmation, read at intake. */
export interface ConfirmationDecision {
  confirmationId: string;
  approve: boolean;
  /** What was asked, for the inbox's note. */
  summary: string;
  /** The question was no longer waiting when the answer arrived (already decided, expired, turn stopped). */
  stale: boolean;
}

export interface ContactConfirmationsDeps {
  center: ConfirmationCenter;
  contacts: ContactRepository;
  messages: MessageRepository;
  sender: OutboundSender;
  changed(contactId: string): void;
  logger: Logger;
}

/**
 * Confirmation on WhatsApp: a call the agent makes for a contact that changes things (a booking)
 * waits for the contact's own yes. The question goes out as reply buttons whose ids carry the
 * confirmation's id; the answer (a tap, or "yes"/"no" in words while a question waits) is decided
 * at intake, because the turn that would read it as a message is the one waiting for it.
 */
export class ContactConfirmations {
  /** The question waiting for each contact (for answers in words, which carry no id). */
  private readonly waitingFor = new Map<string, string>();

  constructor(private readonly deps: ContactConfirmationsDeps) {}

  readonly presenter: ConfirmationPresenter = { present: (confirmation) => this.present(confirmation) };

  /** Runs inside the contact's turn (its job): the question goes out now, through the same recorded sender. */
  private async present(confirmation: Confirmation): Promise<void> {
    const { contacts, messages } = this.deps;
    const contact = confirmation.conversationId ? await contacts.findByConversation(confirmation.conversationId) : undefined;
    if (!contact) throw new Error(`No WhatsApp contact has the conversation of this call (${confirmation.conversationId ?? 'none'})`);
    if (contact.optedOut) throw new Error(`${contact.waId} opted out: the question cannot be sent`);
    const body = questionText(confirmation);
    const interactive: InteractiveContent = {
      type: 'button',
      body,
      buttons: [
        { id: `confirm:${confirmation.id}:yes`, title: 'Confirm' },
        { id: `confirm:${confirmation.id}:no`, title: 'Cancel' },
      ],
    };
    const id = randomUUID();
    await messages.recordOutbound({ id, contactId: contact.id, kind: 'interactive', text: body, author: 'system', batchId: null, part: 0, idempotencyKey: `confirm:${confirmation.id}`, interactive });
    this.waitingFor.set(contact.id, confirmation.id);
    this.deps.changed(contact.id);
    try {
      await this.deps.sender.sendUnsent(contact.id);
    } catch (error) {
      // Not sent now, and the call is refused (ConfirmationCenter): the question must not go out later.
      await messages.markFailed(id, `Not sent (${error instanceof Error ? error.message : String(error)}); the call waiting for it was refused.`);
      this.deps.changed(contact.id);
      throw error;
    }
    const sent = await messages.get(id);
    // A question the contact never got cannot be answered: the call is refused at once (ConfirmationCenter).
    if (sent?.status === 'failed') throw new Error(`The question could not be sent: ${sent.error ?? 'unknown error'}`);
  }

  /** The decision a contact's message carries, if it answers a question (a tap on Confirm/Cancel, or yes/no in words while one waits). */
  decisionIn(message: InboundMessage): ConfirmationDecision | undefined {
    const waiting = this.deps.center.list();
    if (message.choiceId?.startsWith('confirm:')) {
      const [, confirmationId = '', answer] = message.choiceId.split(':');
      const confirmation = waiting.find((entry) => entry.id === confirmationId);
      // A tap on an old question's button is no question for the agent either.
      return { confirmationId, approve: answer === 'yes', summary: confirmation?.summary ?? '', stale: !confirmation };
    }
    const confirmationId = this.waitingFor.get(message.contact.id);
    if (!confirmationId) return undefined;
    const confirmation = waiting.find((entry) => entry.id === confirmationId);
    if (!confirmation) {
      this.waitingFor.delete(message.contact.id);
      return undefined;
    }
    const word = message.text.trim().toLowerCase().replace(/[.!]+$/, '');
    if (YES.has(word)) return { confirmationId, approve: true, summary: confirmation.summary, stale: false };
    if (NO.has(word)) return { confirmationId, approve: false, summary: confirmation.summary, stale: false };
    return undefined;
  }

  /** Settles the waiting call; the turn waiting on it goes on. Returns the inbox's note. */
  decide(contactId: string, decision: ConfirmationDecision): string {
    if (this.waitingFor.get(contactId) === decision.confirmationId) this.waitingFor.delete(contactId);
    if (decision.stale) return staleNote;
    try {
      this.deps.center.decide(decision.confirmationId, decision.approve);
    } catch (error) {
      this.deps.logger.info({ contactId, confirmationId: decision.confirmationId, err: error }, 'A WhatsApp answer came after its question stopped waiting');
      return staleNote;
    }
    return noteFor(decision);
  }
}

const staleNote = 'Answered a question that was no longer waiting (already answered, expired or stopped): nothing was done.';

export function noteFor(decision: ConfirmationDecision): string {
  if (decision.stale) return staleNote;
  return `${decision.approve ? 'Confirmed' : 'Cancelled'} by the contact: ${decision.summary}`;
}

function questionText(confirmation: Confirmation): string {
  const text = `Please confirm before I go ahead:\n${confirmation.summary}\n\nTap Confirm, or Cancel.`;
  return text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
}

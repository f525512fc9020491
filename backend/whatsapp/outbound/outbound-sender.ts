import type { WhatsAppContact } from '#protocol';
import type { Logger } from '../../platform/observability';
import { SendFailure, type MessagingAdapter, type SentMessage } from '../adapter/messaging-adapter';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { EarlyStatuses } from '../inbound/early-statuses';
import type { ContactRepository } from '../store/contact-repository';
import type { MediaFiles } from '../store/media-files';
import type { MessageRepository, OutboundRecord } from '../store/message-repository';
import type { Pacer } from './pacer';

/** Thrown to have the job queue try again later (with backoff): a send failed with a retryable error. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

export interface OutboundSenderDeps {
  messages: MessageRepository;
  contacts: ContactRepository;
  media: MediaFiles;
  pacer: Pacer;
  /** Statuses that arrived before their send was recorded: applied once it is. */
  earlyStatuses: EarlyStatuses;
  adapterFor(contact: WhatsAppContact): Promise<MessagingAdapter>;
  config(): Promise<WhatsAppConfig>;
  changed(contactId: string): void;
  logger: Logger;
}

export const INTERRUPTED_SEND =
  'The backend stopped while this message was being sent; it was not sent again, to avoid a duplicate. Check the chat on the phone and resend if it is missing.';

/**
 * Sends a contact's recorded, unsent messages in order. Every message was recorded before this
 * runs, so a crash loses none; one caught mid-send ("sending") is not sent again, because the
 * provider may already have delivered it. Runs inside the contact's serial job, never two at once.
 * An agent reply recorded before a take-over still goes out (the agent's handoff message is one);
 * take-over silences the agent from the next message on.
 */
export class OutboundSender {
  constructor(private readonly deps: OutboundSenderDeps) {}

  async sendUnsent(contactId: string, signal?: AbortSignal): Promise<void> {
    const { messages } = this.deps;
    const unsent = await messages.unsent(contactId);
    if (!unsent.length) return;
    const contact = await this.deps.contacts.get(contactId);
    const adapter = await this.deps.adapterFor(contact);
    for (const record of unsent) {
      if (record.status === 'sending') {
        await messages.markFailed(record.id, INTERRUPTED_SEND);
      } else if (contact.optedOut) {
        await messages.markFailed(record.id, 'Not sent: the contact opted out of messages.');
      } else {
        await this.sendOne(contact, record, adapter, signal);
      }
      this.deps.changed(contactId);
    }
  }

  private async sendOne(contact: WhatsAppContact, record: OutboundRecord, adapter: MessagingAdapter, signal: AbortSignal | undefined): Promise<void> {
    const { messages } = this.deps;
    await this.deps.pacer.take(contact.id, signal);
    await messages.markSending(record.id);
    try {
      const sent = await this.deliver(contact, record, adapter);
      await messages.markSent(record.id, sent.providerId);
      await this.deps.earlyStatuses.applyTo(sent.providerId);
      await this.deps.contacts.noteOutbound(contact.id, preview(record), Date.now());
      if (contact.windowClosed) await this.deps.contacts.setFlag(contact.id, 'window_closed', false);
    } catch (error) {
      const failure = error instanceof SendFailure ? error : new SendFailure(error instanceof Error ? error.message : String(error), false, undefined);
      if (failure.retryable) {
        // Known not sent: back to pending, and the whole job comes back after the queue's backoff.
        await messages.markRetrying(record.id, `${failure.message} (will retry)`);
        this.deps.changed(contact.id);
        throw new RetryLater(failure.message);
      }
      if (failure.windowClosed) return this.windowClosed(contact, record, adapter, failure);
      this.deps.logger.warn({ contactId: contact.id, messageId: record.id, code: failure.code }, `WhatsApp send failed: ${failure.message}`);
      await messages.markFailed(record.id, failure.message);
    }
  }

  private async deliver(contact: WhatsAppContact, record: OutboundRecord, adapter: MessagingAdapter): Promise<SentMessage> {
    const to = { waId: contact.waId };
    if (record.kind === 'audio' && record.stored) {
      let bytes: Buffer;
      try {
        bytes = await this.deps.media.read(record.stored.file);
      } catch (error) {
        throw new SendFailure(`The recorded voice note is missing from the data folder: ${error instanceof Error ? error.message : String(error)}`, false, undefined);
      }
      return adapter.sendVoice(to, { bytes, mimeType: record.stored.mimeType });
    }
    if (record.kind === 'interactive' && record.interactive) return adapter.sendInteractive(to, record.interactive);
    return adapter.sendText(to, record.text, { replyTo: record.replyTo });
  }

  /** 131047: the 24-hour window closed. The configured template goes out instead, or the operator is told. */
  private async windowClosed(contact: WhatsAppContact, record: OutboundRecord, adapter: MessagingAdapter, failure: SendFailure): Promise<void> {
    const { template } = await this.deps.config();
    if (template && adapter.sendTemplate) {
      try {
        const sent = await adapter.sendTemplate({ waId: contact.waId }, template);
        await this.deps.messages.markSent(record.id, sent.providerId, {
          kind: 'template',
          text: `Template "${template.name}" (${template.language}), sent because the 24-hour window closed. The reply was: ${record.text}`,
        });
        await this.deps.earlyStatuses.applyTo(sent.providerId);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await this.deps.messages.markFailed(record.id, `${failure.message}; the template "${template.name}" failed too: ${message}`);
        await this.deps.contacts.setFlag(contact.id, 'window_closed', true);
        return;
      }
    }
    await this.deps.messages.markFailed(record.id, `${failure.message}. Window closed: configure a template in the WhatsApp panel, or wait for the contact to write again.`);
    await this.deps.contacts.setFlag(contact.id, 'window_closed', true);
  }
}

/** The inbox's line under the contact's name. */
function preview(record: OutboundRecord): string {
  return record.kind === 'audio' ? `🎤 ${record.text}`.slice(0, 200) : record.text.slice(0, 200);
}

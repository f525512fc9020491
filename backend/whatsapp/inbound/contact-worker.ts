import { randomUUID } from 'node:crypto';
import type { WhatsAppContact } from '#protocol';
import type { RunningJob } from '../../platform/jobs';
import type { Logger } from '../../platform/observability';
import type { TurnRunner } from '../../platform/turns';
import type { MessagingAdapter } from '../adapter/messaging-adapter';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { OutboundSender } from '../outbound/outbound-sender';
import { splitForWhatsApp } from '../outbound/split-text';
import type { ContactRepository } from '../store/contact-repository';
import type { MessageRepository } from '../store/message-repository';
import { contactJobSchema } from './contact-jobs';
import { describeForAgent, type InboundMessage } from './inbound-message';
import { previewOf } from './preview';

/** Turns a voice note's bytes into text (OGG/Opus decoded in-process, then the local STT engine). */
export type VoiceNoteTranscriber = (bytes: Uint8Array, signal?: AbortSignal) => Promise<string>;

export interface ContactWorkerDeps {
  messages: MessageRepository;
  contacts: ContactRepository;
  sender: OutboundSender;
  turns: TurnRunner;
  adapterFor(contact: WhatsAppContact): Promise<MessagingAdapter>;
  config(): Promise<WhatsAppConfig>;
  createConversation(title: string): Promise<string>;
  transcribe: VoiceNoteTranscriber | undefined;
  changed(contactId: string): void;
  logger: Logger;
}

/** Kinds recorded in the inbox but never answered: a reaction is not a question. */
const SILENT_KINDS = new Set(['reaction', 'system', 'ephemeral', 'request_welcome']);

/**
 * Runs one contact's job. The queue runs a contact's jobs one at a time in arrival order, so
 * this is the only place a contact's turn runs; messages that arrived during a turn are all
 * answered by the next one, in the order the contact sent them (their timestamps).
 */
export class ContactWorker {
  constructor(private readonly deps: ContactWorkerDeps) {}

  readonly handle = async (job: RunningJob): Promise<void> => {
    const parsed = contactJobSchema.safeParse(job.payload);
    if (!parsed.success) {
      // A payload that cannot be read will not become readable on retry.
      this.deps.logger.error({ jobId: job.id, issue: parsed.error.issues[0] }, 'WhatsApp job with an unreadable payload skipped');
      return;
    }
    if (parsed.data.type === 'send') return this.deps.sender.sendUnsent(parsed.data.contactId, job.signal);
    await this.answer(parsed.data.message, job);
  };

  private async answer(message: InboundMessage, job: RunningJob): Promise<void> {
    const { messages, contacts } = this.deps;
    const contactId = message.contact.id;
    if (await messages.recordInbound(message)) await contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
    else await contacts.ensure(message.contact, message.provider, previewOf(message), message.timestamp);
    // A reply recorded by an earlier attempt (or before a crash) goes out before anything new.
    await this.deps.sender.sendUnsent(contactId, job.signal);
    const contact = await contacts.get(contactId);
    if (job.attempts === 1) void this.markRead(contact, message);
    const stored = await messages.get(message.id);
    if (message.media && message.kind === 'audio' && stored?.status === 'received' && !stored.text) await this.transcribe(contact, message, job.signal);
    await this.answerBatch(await contacts.get(contactId), job);
  }

  /**
   * Answers every message of the contact not answered yet in one turn, after settling those that
   * get no turn: an opt-out keyword (then nothing more is answered), a contact the operator took
   * over, kinds that are never answered.
   */
  private async answerBatch(contact: WhatsAppContact, job: RunningJob): Promise<void> {
    const { messages, contacts } = this.deps;
    const config = await this.deps.config();
    const keywords = new Set(config.optOutKeywords.map((word) => word.trim().toUpperCase()));
    const pending = await messages.unanswered(contact.id);
    let optedOut = contact.optedOut;
    for (const entry of pending) {
      if (!keywords.has(entry.text.trim().toUpperCase())) continue;
      optedOut = true;
      await contacts.setFlag(contact.id, 'opted_out', true);
      await messages.settleInbound([entry.id], 'skipped', null, `Opt-out keyword "${entry.text.trim()}": no more messages go to this contact.`);
    }
    const rest = pending.filter((entry) => !keywords.has(entry.text.trim().toUpperCase()));
    if (optedOut || contact.takenOver) {
      await messages.settleInbound(rest.map((entry) => entry.id), optedOut ? 'skipped' : 'held', null, optedOut ? 'Not answered: the contact opted out.' : null);
      if (pending.length) this.deps.changed(contact.id);
      return;
    }
    const silent = rest.filter((entry) => SILENT_KINDS.has(entry.kind));
    for (const entry of silent) await messages.settleInbound([entry.id], 'skipped', null, `Not answered: a ${entry.kind}.`);
    // A voice note still waiting for its transcript is answered by its own job, once transcribed.
    const batch = rest.filter((entry) => !SILENT_KINDS.has(entry.kind) && !(entry.kind === 'audio' && !entry.text));
    if (!batch.length) {
      // An earlier turn already answered this job's message together with the ones before it.
      if (silent.length) this.deps.changed(contact.id);
      return;
    }
    const batchId = batch[0]!.id;
    const conversationId = contact.conversationId ?? (await this.deps.contacts.attachConversation(contact.id, await this.deps.createConversation(`WhatsApp: ${contact.name || contact.waId}`)));
    const text = batch.map((entry) => describeForAgent(entry.kind, entry.text)).join('\n\n');
    const result = await this.deps.turns.run({ channel: 'whatsapp', conversationId, text, turnId: `whatsapp-${randomUUID()}`, signal: job.signal });
    const last = batch[batch.length - 1]!;
    const parts = splitForWhatsApp(result.text).map((part, index) => ({
      id: randomUUID(),
      contactId: contact.id,
      kind: 'text' as const,
      text: part,
      author: 'agent' as const,
      batchId,
      part: index,
      idempotencyKey: `${batchId}:${index}`,
      // Quote the message answered when several were answered at once, so the contact sees which.
      ...(batch.length > 1 ? { replyTo: last.id } : {}),
    }));
    await messages.recordReply(parts, batch.map((entry) => entry.id), batchId);
    this.deps.changed(contact.id);
    await this.deps.sender.sendUnsent(contact.id, job.signal);
  }

  private async markRead(contact: WhatsAppContact, message: InboundMessage): Promise<void> {
    try {
      await (await this.deps.adapterFor(contact)).markRead(message);
    } catch (error) {
      this.deps.logger.debug({ contactId: contact.id, err: error }, 'Could not mark a WhatsApp message read');
    }
  }

  private async transcribe(contact: WhatsAppContact, message: InboundMessage, signal: AbortSignal): Promise<void> {
    const media = message.media!;
    let text: string;
    try {
      const downloaded = await (await this.deps.adapterFor(contact)).downloadMedia(media, signal);
      if (!this.deps.transcribe) throw new Error('no speech recognition is available');
      text = (await this.deps.transcribe(downloaded.bytes, signal)).trim();
    } catch (error) {
      if (signal.aborted) throw error;
      this.deps.logger.warn({ contactId: contact.id, messageId: message.id, err: error }, 'WhatsApp voice note could not be transcribed');
      await this.deps.messages.setInboundText(message.id, `(a voice note that could not be transcribed: ${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    await this.deps.messages.setInboundText(message.id, text ? `🎤 ${text}` : '(an empty voice note)');
  }
}

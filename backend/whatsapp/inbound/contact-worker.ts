import { createHash, randomUUID } from 'node:crypto';
import type { WhatsAppContact } from '#protocol';
import type { DocumentIntake, SpeechSynthesis } from '../../platform/intake';
import type { RunningJob } from '../../platform/jobs';
import type { Logger } from '../../platform/observability';
import type { TurnRunner } from '../../platform/turns';
import { rateLimitedError } from '../access/rate-limiter';
import type { MessagingAdapter } from '../adapter/messaging-adapter';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { OutboundSender } from '../outbound/outbound-sender';
import { composeReply } from '../outbound/compose-reply';
import type { OfferedChoices } from '../outbound/offered-choices';
import type { ContactRepository } from '../store/contact-repository';
import type { MediaFiles } from '../store/media-files';
import type { MessageRepository, PendingInbound } from '../store/message-repository';
import { contactJobSchema } from './contact-jobs';
import { describeForAgent, isAnswered, type InboundMessage } from './inbound-message';
import { acknowledgeMedia } from './media-acknowledgement';
import { previewOf } from './preview';

/** Turns a voice note's bytes into text (OGG/Opus decoded in-process, then the local STT engine). */
export type VoiceNoteTranscriber = (bytes: Uint8Array, signal?: AbortSignal) => Promise<string>;

export interface ContactWorkerDeps {
  messages: MessageRepository;
  contacts: ContactRepository;
  media: MediaFiles;
  sender: OutboundSender;
  turns: TurnRunner;
  adapterFor(contact: WhatsAppContact): Promise<MessagingAdapter>;
  config(): Promise<WhatsAppConfig>;
  createConversation(title: string): Promise<string>;
  transcribe: VoiceNoteTranscriber | undefined;
  /** The speech capability's TTS, when it runs (voice-note replies). */
  speech(): SpeechSynthesis | undefined;
  /** The documents capability's intake, when it runs (PDFs contacts send). */
  documents(): DocumentIntake | undefined;
  choices: OfferedChoices;
  /** How many turns run at once, adapted to how the event loop keeps up. */
  changed(contactId: string): void;
  logger: Logger;
}

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
    const work = parsed.data;
    if (work.type === 'send') return this.deps.sender.sendUnsent(work.contactId, job.signal);
    if (work.type === 'decided') return this.recordSettled(work.message, { status: 'answered', note: work.note });
    await this.answer(work.message, work.limited, job);
  };

  /** A message that gets no turn of its own (an answer to a confirmation, decided at intake). */
  private async recordSettled(message: InboundMessage, settled: { status: 'answered' | 'skipped'; note?: string; error?: string }): Promise<void> {
    if (await this.deps.messages.recordInbound(message, settled)) await this.deps.contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
    else await this.deps.messages.settleInbound([message.id], settled.status, null, settled.error ?? null, settled.note ?? null);
    this.deps.changed(message.contact.id);
  }

  private async answer(message: InboundMessage, limited: 'notice' | 'silent' | undefined, job: RunningJob): Promise<void> {
    const { messages, contacts } = this.deps;
    const contactId = message.contact.id;
    const config = await this.deps.config();
    // Over the rate limit: recorded settled, so no turn (this job's or an earlier one's) answers it.
    const settled = limited ? { status: 'skipped' as const, error: rateLimitedError(config) } : undefined;
    if (await messages.recordInbound(message, settled)) await contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
    else await contacts.ensure(message.contact, message.provider, previewOf(message), message.timestamp);
    // Resumed (after a crash or a failed send): a reply recorded by the earlier attempt goes out before anything new.
    if (job.attempts > 1) await this.deps.sender.sendUnsent(contactId, job.signal);
    const contact = await contacts.get(contactId);
    if (limited) return this.overRateLimit(contact, message, limited, job.signal);
    if (job.attempts === 1) void this.markRead(contact, message);
    if (message.media && message.kind === 'audio') {
      const stored = await messages.get(message.id);
      if (stored?.status === 'received' && !stored.text) await this.transcribe(contact, message, job.signal);
    }
    await this.answerBatch(contact, job);
  }

  /**
   * Answers every message of the contact not answered yet in one turn, after settling those that
   * get no turn: an opt-out keyword (then nothing more is answered), a contact the operator took
   * over, kinds that are never answered, files that are acknowledged by the bridge itself.
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
    const silent = rest.filter((entry) => !isAnswered(entry.kind, config.unansweredKinds));
    for (const entry of silent) await messages.settleInbound([entry.id], 'skipped', null, `Not answered: a ${entry.kind}.`);
    const acknowledged = await this.acknowledgeFiles(contact, rest, job.signal);
    // A voice note still waiting for its transcript is answered by its own job, once transcribed.
    const batch = rest.filter((entry) => !silent.includes(entry) && !acknowledged.has(entry.id) && !(entry.kind === 'audio' && !entry.text));
    if (!batch.length) {
      // An earlier turn already answered this job's message together with the ones before it.
      if (silent.length || acknowledged.size) this.deps.changed(contact.id);
      if (acknowledged.size) await this.deps.sender.sendUnsent(contact.id, job.signal);
      return;
    }
    const batchId = batch[0]!.id;
    const conversationId = contact.conversationId ?? (await contacts.attachConversation(contact.id, await this.deps.createConversation(`WhatsApp: ${contact.name || contact.waId}`)));
    const text = batch.map((entry) => describeForAgent(entry.kind, entry.text, entry.media?.filename)).join('\n\n');
    // Keyed by the batch: a job resumed after a crash replaces what its interrupted turn stored instead of adding the contact's words twice.
    const userMessageId = stableUuid(`whatsapp-batch:${batchId}`);
    this.deps.choices.take(conversationId);
    const result = await this.deps.turns.run({ channel: 'whatsapp', conversationId, text, userMessageId, turnId: `whatsapp-${randomUUID()}`, signal: job.signal });
    const parts = await composeReply({
      contactId: contact.id,
      text: result.text,
      batchId,
      // Quote the message answered when several were answered at once, so the contact sees which.
      replyTo: batch.length > 1 ? batch[batch.length - 1]!.id : undefined,
      offered: this.deps.choices.take(conversationId),
      voice: config.voiceReplies === 'always' || (config.voiceReplies === 'mirror' && batch.some((entry) => entry.kind === 'audio')),
      speech: this.deps.speech(),
      media: this.deps.media,
      signal: job.signal,
      logger: this.deps.logger,
    });
    await messages.recordReply(parts, batch.map((entry) => entry.id), batchId);
    this.deps.changed(contact.id);
    await this.deps.sender.sendUnsent(contact.id, job.signal);
  }

  /** Documents go to the library and images get a word back; the ids of those settled without a turn. */
  private async acknowledgeFiles(contact: WhatsAppContact, entries: PendingInbound[], signal: AbortSignal): Promise<Set<string>> {
    const settled = new Set<string>();
    const files = entries.filter((entry) => entry.kind === 'document' || entry.kind === 'image');
    if (!files.length) return settled;
    const adapter = await this.deps.adapterFor(contact);
    for (const entry of files) {
      const acknowledgement = await acknowledgeMedia(entry, { adapter, documents: this.deps.documents(), sender: contact.waId, signal });
      if (!acknowledgement) continue;
      await this.deps.messages.recordOutbound({
        id: randomUUID(),
        contactId: contact.id,
        kind: 'text',
        text: acknowledgement.reply,
        author: 'system',
        batchId: entry.id,
        part: 0,
        idempotencyKey: `ack:${entry.id}`,
      });
      // With a caption the agent still answers it (told about the file); without, the acknowledgement is the answer.
      if (entry.text.trim()) continue;
      await this.deps.messages.settleInbound([entry.id], 'answered', entry.id, null, acknowledgement.note);
      settled.add(entry.id);
    }
    return settled;
  }

  /** Over the rate limit: recorded unanswered; the first one of a stretch gets the one polite notice. */
  private async overRateLimit(contact: WhatsAppContact, message: InboundMessage, limited: 'notice' | 'silent', signal: AbortSignal): Promise<void> {
    if (limited === 'notice' && !contact.optedOut) {
      await this.deps.messages.recordOutbound({
        id: randomUUID(),
        contactId: contact.id,
        kind: 'text',
        text: 'You are sending messages faster than I can answer. Please wait a minute, then send your question again.',
        author: 'system',
        batchId: message.id,
        part: 0,
        idempotencyKey: `rate-limit:${message.id}`,
      });
      await this.deps.sender.sendUnsent(contact.id, signal);
    }
    this.deps.changed(contact.id);
  }

  private async markRead(contact: WhatsAppContact, message: InboundMessage): Promise<void> {
    try {
      await (await this.deps.adapterFor(contact)).markRead(message);
    } catch (error) {
      this.deps.logger.debug({ contactId: contact.id, err: error }, 'Could not mark a WhatsApp message read');
    }
  }

  /** Downloads the voice note at once (Cloud API URLs live 5 minutes), keeps a copy for the inbox's player, transcribes it. */
  private async transcribe(contact: WhatsAppContact, message: InboundMessage, signal: AbortSignal): Promise<void> {
    const media = message.media!;
    let text: string;
    try {
      const downloaded = await (await this.deps.adapterFor(contact)).downloadMedia(media, signal);
      await this.deps.messages.setStoredMedia(message.id, await this.deps.media.write(downloaded.bytes, downloaded.mimeType));
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

/** A UUID-shaped id derived from `text`: the same text gives the same id in every run. */
function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

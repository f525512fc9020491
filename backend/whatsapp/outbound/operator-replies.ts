import { randomUUID } from 'node:crypto';
import { decodeWav, toPcm16Audio } from '#audio';
import { ParleyError, type WhatsAppContact, type WhatsAppMessage } from '#protocol';
import type { SpeechSynthesis } from '../../platform/intake';
import type { JobQueue } from '../../platform/jobs';
import { CONTACT_QUEUE, contactSerialKey } from '../inbound/contact-jobs';
import type { VoiceNoteTranscriber } from '../inbound/contact-worker';
import type { ContactRepository } from '../store/contact-repository';
import type { MediaFiles } from '../store/media-files';
import type { MessageRepository } from '../store/message-repository';
import { splitForWhatsApp } from './split-text';
import { encodeVoiceNote } from './voice-note';

/** Ten minutes of 16 kHz mono PCM16 WAV, with room to spare. */
export const MAX_RECORDING_BYTES = 24 * 1024 * 1024;

export interface OperatorRepliesDeps {
  contacts: ContactRepository;
  messages: MessageRepository;
  media: MediaFiles;
  jobs: JobQueue;
  speech(): SpeechSynthesis | undefined;
  transcribe: VoiceNoteTranscriber | undefined;
  changed(contactId: string): void;
}

/**
 * The operator's own replies, typed or recorded: recorded first, then sent through the contact's
 * serial queue by the same retried, paced sender as the agent's (never at the same time as an
 * agent reply to the same contact).
 */
export class OperatorReplies {
  constructor(private readonly deps: OperatorRepliesDeps) {}

  async text(contactId: string, text: string): Promise<WhatsAppMessage[]> {
    await this.writable(contactId);
    const ids: string[] = [];
    for (const [index, part] of splitForWhatsApp(text).entries()) {
      const id = randomUUID();
      ids.push(id);
      await this.deps.messages.recordOutbound({ id, contactId, kind: 'text', text: part, author: 'operator', batchId: null, part: index, idempotencyKey: null });
    }
    await this.queueSend(contactId);
    const recorded = await Promise.all(ids.map((id) => this.deps.messages.get(id)));
    return recorded.filter((message) => message !== undefined);
  }

  /** A recording from the panel (WAV) as a voice note: OGG/Opus mono ≤ 512 KB, with its transcript for the inbox. */
  async voice(contactId: string, wav: Uint8Array): Promise<WhatsAppMessage> {
    await this.writable(contactId);
    const note = toVoiceNote(this.deps.speech(), wav);
    const stored = await this.deps.media.write(note.bytes, note.mimeType);
    const transcript = await this.transcript(wav);
    const id = randomUUID();
    await this.deps.messages.recordOutbound({ id, contactId, kind: 'audio', text: transcript, author: 'operator', batchId: null, part: 0, idempotencyKey: null, stored });
    await this.queueSend(contactId);
    return (await this.deps.messages.get(id))!;
  }

  private async writable(contactId: string): Promise<WhatsAppContact> {
    const contact = await this.deps.contacts.get(contactId);
    if (contact.optedOut) throw new ParleyError('forbidden', `${contact.name || contact.waId} opted out: no messages may be sent to them`);
    return contact;
  }

  private async queueSend(contactId: string): Promise<void> {
    await this.deps.jobs.enqueue(CONTACT_QUEUE, { type: 'send', contactId }, { serialKey: contactSerialKey(contactId), maxAttempts: 8 });
    this.deps.changed(contactId);
  }

  private async transcript(wav: Uint8Array): Promise<string> {
    if (!this.deps.transcribe) return '(voice note)';
    try {
      const text = (await this.deps.transcribe(wav)).trim();
      return text || '(voice note)';
    } catch {
      // The recording goes out whether or not it could be transcribed; the transcript is for the inbox.
      return '(voice note, not transcribed)';
    }
  }
}

/** A panel recording (WAV, any rate, mono) as a WhatsApp voice note; the Opus codec comes from the speech capability. */
export function toVoiceNote(speech: SpeechSynthesis | undefined, wav: Uint8Array): { bytes: Uint8Array; mimeType: string } {
  if (!speech) throw new ParleyError('unavailable', 'Voice notes need the speech capability (its Opus encoder), which is not running');
  let audio;
  try {
    audio = toPcm16Audio(decodeWav(wav));
  } catch (error) {
    throw new ParleyError('invalid_params', `The recording is not a WAV file Parley can read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (audio.pcm.length === 0) throw new ParleyError('invalid_params', 'The recording is empty');
  try {
    return encodeVoiceNote(speech, audio);
  } catch (error) {
    throw new ParleyError('invalid_params', `The recording is too long for a voice note: ${error instanceof Error ? error.message : String(error)}`);
  }
}

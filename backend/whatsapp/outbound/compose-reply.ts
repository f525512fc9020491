import { randomUUID } from 'node:crypto';
import type { SpeechSynthesis } from '../../platform/intake';
import type { Logger } from '../../platform/observability';
import type { MediaFiles } from '../store/media-files';
import type { NewOutbound } from '../store/message-repository';
import { fitsInteractiveBody, interactiveFor } from './offered-choices';
import { splitForWhatsApp } from './split-text';
import { speakAsVoiceNote } from './voice-note';

export interface ReplyRequest {
  contactId: string;
  /** The agent's answer. */
  text: string;
  batchId: string;
  replyTo: string | undefined;
  /** Choices the agent offered with it (whatsapp_offer_choices). */
  offered: { choices: string[]; button: string | undefined } | undefined;
  /** Answer with a voice note (the voice-replies setting said so for this batch). */
  voice: boolean;
  speech: SpeechSynthesis | undefined;
  media: MediaFiles;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A turn's answer as the messages to record: buttons or a list under it when the agent offered
 * choices; a voice note when asked for (text when speech fails or is not running); otherwise text
 * split at 4,096 characters. Idempotency keys "<batch>:<part>": a resumed turn never records twice.
 */
export async function composeReply(request: ReplyRequest): Promise<NewOutbound[]> {
  const part = (index: number, fields: Pick<NewOutbound, 'kind' | 'text'> & Partial<NewOutbound>): NewOutbound => ({
    id: randomUUID(),
    contactId: request.contactId,
    author: 'agent',
    batchId: request.batchId,
    part: index,
    idempotencyKey: `${request.batchId}:${index}`,
    ...(request.replyTo ? { replyTo: request.replyTo } : {}),
    ...fields,
  });
  const text = request.text.trim();
  if (request.offered && request.offered.choices.length >= 2) {
    // The buttons carry the answer when it fits their body; a longer answer goes first as text.
    const lead = text && !fitsInteractiveBody(text) ? splitForWhatsApp(text) : [];
    const body = lead.length || !text ? 'Please choose:' : text;
    return [...lead.map((chunk, index) => part(index, { kind: 'text', text: chunk })), part(lead.length, { kind: 'interactive', text: body, interactive: interactiveFor(body, request.offered.choices, request.offered.button) })];
  }
  if (request.voice && text) {
    try {
      if (!request.speech) throw new Error('the speech capability is not running');
      const note = await speakAsVoiceNote(request.speech, text, request.signal);
      const stored = await request.media.write(note.bytes, note.mimeType);
      return [part(0, { kind: 'audio', text, stored })];
    } catch (error) {
      if (request.signal.aborted) throw error;
      request.logger.warn({ contactId: request.contactId, err: error }, 'WhatsApp voice reply could not be made; sending text instead');
    }
  }
  return splitForWhatsApp(text).map((chunk, index) => part(index, { kind: 'text', text: chunk }));
}

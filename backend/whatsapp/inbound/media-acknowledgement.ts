import type { DocumentIntake } from '../../platform/intake';
import { SendFailure, type MessagingAdapter } from '../adapter/messaging-adapter';
import { RetryLater } from '../outbound/outbound-sender';
import type { PendingInbound } from '../store/message-repository';

/** WhatsApp carries documents up to 100 MB. */
const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;

/** What the bridge tells the contact about a file they sent, and what the inbox notes. */
export interface MediaAcknowledgement {
  reply: string;
  note: string;
}

export interface MediaAcknowledgementDeps {
  adapter: MessagingAdapter;
  /** The documents capability's intake, when it runs. */
  documents: DocumentIntake | undefined;
  /** Who sent it, for the library's record. */
  sender: string;
  signal: AbortSignal;
}

/**
 * Documents a contact sends go to the document library (PDFs, when the documents capability runs)
 * and are acknowledged; an image without a caption is acknowledged (the agent reads text and voice).
 * A download that may work later makes the job try again; one that cannot is told to the contact.
 */
export async function acknowledgeMedia(entry: PendingInbound, deps: MediaAcknowledgementDeps): Promise<MediaAcknowledgement | undefined> {
  if (entry.kind === 'image') {
    if (entry.text.trim()) return undefined;
    return { reply: 'Thanks for the image. I can read text and listen to voice notes, but not see pictures: tell me in words what you need.', note: 'Image acknowledged (images are not read).' };
  }
  if (entry.kind !== 'document' || !entry.media) return undefined;
  const name = entry.media.filename ?? 'your document';
  const { documents } = deps;
  if (!documents) return { reply: `Thanks for ${name}. Documents are not enabled here, so I could not add it.`, note: 'Not added: the documents capability is not running.' };
  if (!documents.accepts(entry.media.mimeType, name)) return { reply: `Thanks for ${name}. I can only add PDF documents.`, note: `Not added: ${entry.media.mimeType} is not a document type the library takes.` };
  let bytes: Buffer;
  let mimeType: string;
  try {
    ({ bytes, mimeType } = await deps.adapter.downloadMedia(entry.media, deps.signal, MAX_DOCUMENT_BYTES));
  } catch (error) {
    if (error instanceof SendFailure && error.retryable) throw new RetryLater(`Downloading ${name}: ${error.message}`);
    const reason = error instanceof Error ? error.message : String(error);
    return { reply: `Sorry, I could not receive ${name}. Please send it again.`, note: `Not added: the download failed (${reason}).` };
  }
  const receipt = await documents.ingest({ fileName: name, mimeType, bytes, channel: 'whatsapp', sender: deps.sender });
  return {
    reply: receipt.duplicate ? `Thanks, ${name} is already in the documents.` : `Thanks, I added ${name} to the documents.`,
    note: `Added to the documents (${receipt.duplicate ? 'already there' : receipt.status}, id ${receipt.documentId}).`,
  };
}

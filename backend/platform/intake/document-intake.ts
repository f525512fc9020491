import type { Channel } from '#protocol';

/** A file that reached Parley through a channel (a PDF a WhatsApp contact sent). */
export interface IncomingDocument {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  channel: Channel;
  /** Who sent it, for the library's record (a WhatsApp number). */
  sender?: string;
}

export interface IntakeReceipt {
  documentId: string;
  /** The document's ingest status right after intake ('queued', or its state when it was a duplicate). */
  status: string;
  duplicate: boolean;
}

/** What the documents capability provides for other capabilities to hand files to. */
export interface DocumentIntake {
  accepts(mimeType: string, fileName: string): boolean;
  ingest(document: IncomingDocument): Promise<IntakeReceipt>;
}

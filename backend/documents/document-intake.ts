import type { DocumentIntake } from '../platform/intake';
import type { DocumentLibrary } from './document-library';

/**
 * What the documents capability puts in `context.documentIntake`: other channels (the WhatsApp
 * bridge) hand PDFs over without importing this capability. The document records where it came
 * from; like an upload, the same bytes are recognised and not read twice.
 */
export function documentIntake(library: DocumentLibrary): DocumentIntake {
  return {
    accepts(mimeType, fileName) {
      const type = mimeType.split(';')[0]!.trim().toLowerCase();
      return type === 'application/pdf' || ((type === '' || type === 'application/octet-stream') && /\.pdf$/i.test(fileName));
    },
    async ingest(document) {
      const result = await library.upload(document.bytes, document.fileName, undefined, { channel: document.channel, sender: document.sender ?? null });
      return { documentId: result.id, status: result.status, duplicate: result.duplicate };
    },
  };
}

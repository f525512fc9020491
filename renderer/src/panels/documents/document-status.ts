import type { DocumentOrigin, DocumentRecord } from '#protocol';

/** What the list says about a document's state, in words. */
export function statusLabel(document: DocumentRecord): string {
  switch (document.status) {
    case 'queued':
      return 'Waiting to be read';
    case 'extracting':
      return document.pages ? `Reading page ${Math.min(document.pagesDone + 1, document.pages)} of ${document.pages}` : 'Opening';
    case 'ready':
      return `${document.pages ?? 0} page${document.pages === 1 ? '' : 's'}${document.ocrPages.length ? `, ${document.ocrPages.length} read by OCR` : ''}`;
    case 'failed':
      return 'Could not be read';
    case 'needs_password':
      return 'Needs its password';
    case 'cancelled':
      return 'Stopped';
  }
}

/** 0..1 while the document is read; undefined when there is no progress to show. */
export function ingestProgress(document: DocumentRecord): number | undefined {
  if (document.status === 'queued') return 0;
  if (document.status !== 'extracting') return undefined;
  if (!document.pages) return 0;
  return Math.min(1, document.pagesDone / document.pages);
}

export function isWorking(document: DocumentRecord): boolean {
  return document.status === 'queued' || document.status === 'extracting';
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Where a document handed over by a channel came from: "from WhatsApp +49 151…". */
export function originLabel(origin: DocumentOrigin): string {
  const channel = origin.channel === 'whatsapp' ? 'WhatsApp' : origin.channel === 'api' ? 'the API' : 'the console';
  return `from ${channel}${origin.sender ? ` ${origin.sender}` : ''}`;
}

/** Every tag in the library, for the filter. */
export function libraryTags(documents: readonly DocumentRecord[]): string[] {
  return [...new Set(documents.flatMap((document) => document.tags))].sort((a, b) => a.localeCompare(b));
}

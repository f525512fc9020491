import { ParleyError } from '#protocol';
import type { DocumentRepository } from '../document-repository';
import type { DocumentFiles } from '../document-files';
import type { PassageIndex, PassageInput } from '../search/passage-index';
import { chunkPage } from './chunk-page';
import type { OcrEngine } from '../ocr/ocr-engine';
import { extractPdfText, PdfOpenError } from './pdf-text-extraction';
import { toReadingOrder } from './reading-order';

export interface IngestDependencies {
  documents: DocumentRepository;
  files: DocumentFiles;
  index: PassageIndex;
  ocr: OcrEngine;
  /** Called after each recorded change (progress, status), for the documents.updated event. */
  changed(documentId: string): void;
  /** Each page's time, from the previous page to its text (OCR included): the `pdf_ingest_page` stage. */
  observePage?(milliseconds: number): void;
}

export interface IngestRequest {
  documentId: string;
  sha256: string;
  password: string | undefined;
  ocrEnabled: boolean;
  signal: AbortSignal;
}

/** Pages are written and indexed in batches: one transaction per page would cap ingest far below 50 pages/s. */
const BATCH_PAGES = 50;
/** Progress is recorded at most this often (and at the end). */
const PROGRESS_EVERY_MS = 250;

/**
 * Reads a stored PDF into pages and passages: text in reading order, OCR for pages without a text
 * layer, then the index. A file that cannot be read ends as `failed` or `needs_password` with a
 * message for the user; only an abort (the user's cancel, or the queue stopping) escapes as an error.
 */
export async function ingestDocument(dependencies: IngestDependencies, request: IngestRequest): Promise<void> {
  const { documents, files, index, ocr, changed, observePage } = dependencies;
  const { documentId } = request;
  // A retry starts clean: nothing of an earlier attempt stays in the index.
  await index.removeDocument(documentId);
  await documents.clearPages(documentId);
  await documents.update(documentId, { status: 'extracting', error: null, pages: null, pagesDone: 0 });
  changed(documentId);

  let bytes: Buffer;
  try {
    bytes = await files.read(request.sha256);
  } catch (error) {
    await fail(`The uploaded file is gone from the data folder (${(error as Error).message}).`);
    return;
  }

  let pagesDone = 0;
  let lastProgress = 0;
  let pending: Array<{ page: number; text: string; ocr: boolean }> = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const passages: PassageInput[] = pending.flatMap((page) => chunkPage(page.text).map((text) => ({ page: page.page, text, ocr: page.ocr })));
    await documents.savePages(documentId, pending);
    await index.add(documentId, passages);
    pending = [];
  };

  let pageStarted = performance.now();
  try {
    for await (const event of extractPdfText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { password: request.password, renderBlankPages: request.ocrEnabled, signal: request.signal })) {
      if (event.type === 'opened') {
        if (event.pages === 0) {
          await fail('The PDF has no pages.', 'failed');
          return;
        }
        await documents.update(documentId, { pages: event.pages });
        changed(documentId);
        pageStarted = performance.now();
        continue;
      }
      let text = toReadingOrder(event.items);
      let isOcr = false;
      if (event.image) {
        const result = await ocr.recognize(event.image, request.signal);
        text = result.text.trim();
        isOcr = true;
      }
      pending.push({ page: event.page, text, ocr: isOcr });
      observePage?.(performance.now() - pageStarted);
      pageStarted = performance.now();
      pagesDone = event.page;
      if (pending.length >= BATCH_PAGES) await flush();
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        await flush();
        await documents.update(documentId, { pagesDone });
        changed(documentId);
      }
    }
    await flush();
    await documents.update(documentId, { status: 'ready', pagesDone, error: null });
    changed(documentId);
  } catch (error) {
    if (request.signal.aborted) throw error;
    if (error instanceof PdfOpenError) {
      if (error.reason === 'password') {
        await fail(
          request.password ? 'The password is not right for this PDF.' : 'This PDF is protected by a password. Enter its password to read it.',
          'needs_password',
        );
      } else if (error.reason === 'invalid') {
        await fail(`This file is not a readable PDF (${error.message}). It may be damaged or cut short: export or download it again and upload it.`);
      } else {
        await fail(`The PDF could not be read: ${error.message}. Upload it again to retry.`);
      }
      return;
    }
    if (error instanceof ParleyError && error.hint) {
      await fail(`${error.message}. ${error.hint}`);
      return;
    }
    await fail(`Reading the PDF failed: ${error instanceof Error ? error.message : String(error)}. Upload it again to retry.`);
  }

  async function fail(message: string, status: 'failed' | 'needs_password' = 'failed'): Promise<void> {
    await index.removeDocument(documentId);
    await documents.clearPages(documentId);
    await documents.update(documentId, { status, error: message, pagesDone: 0 });
    changed(documentId);
  }
}

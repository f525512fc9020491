import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { ingest, uploadPdf, waitForDocument } from './support/documents-client';
import { writePdf } from './support/pdf-writer';
import { scannedPage, scannedPdf } from './support/sample-pdfs';

describe('documents: OCR of scanned pages (tesseract.js, English from the npm package)', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  it('reads a page that is only an image, marks it as OCR\'d and finds its words on that page', async () => {
    const document = await ingest(backend, await scannedPdf(), 'facilities handbook.pdf', 60_000);
    expect(document).toMatchObject({ status: 'ready', pages: 2, ocrPages: [2] });

    const { passages } = await backend.call('documents.search', { query: 'boiler room key reception desk' });
    expect(passages[0]).toMatchObject({ documentId: document.id, page: 2, ocr: true });
    expect(passages[0]!.text.toLowerCase()).toContain('behind the reception desk');
    const typed = await backend.call('documents.search', { query: 'typed cover page' });
    expect(typed.passages[0]).toMatchObject({ page: 1, ocr: false });
  }, 90_000);

  it('a 20-page scan shows progress per page and stops at once when cancelled', async () => {
    const pages = await Promise.all(Array.from({ length: 20 }, (_, index) => scannedPage([`Scanned page number ${index + 1}`, 'of the long archive'])));
    const upload = await uploadPdf(backend, writePdf(pages), 'archive scan.pdf');
    const progressing = await waitForDocument(backend, upload.body.id, { until: (document) => document.pagesDone >= 1, timeoutMs: 60_000 });
    expect(progressing).toMatchObject({ status: 'extracting', pages: 20 });
    expect(progressing.pagesDone).toBeLessThan(20);

    // The backend keeps answering while OCR runs.
    const started = Date.now();
    await backend.call('system.info', {});
    expect(Date.now() - started).toBeLessThan(1000);

    expect(await backend.call('documents.cancel', { id: upload.body.id })).toEqual({ cancelled: true });
    const cancelled = await waitForDocument(backend, upload.body.id, { timeoutMs: 5_000 });
    expect(cancelled).toMatchObject({ status: 'cancelled', pagesDone: 0 });
    expect(cancelled.error).toMatch(/Upload the file again/);
    const { passages } = await backend.call('documents.search', { query: 'long archive' });
    expect(passages.filter((passage) => passage.documentId === upload.body.id)).toEqual([]);
  }, 90_000);
});

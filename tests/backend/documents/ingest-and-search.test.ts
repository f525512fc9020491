import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { stageCounts } from '../../support/stage-metrics';
import { topics, type EventData, type ServerFrame } from '#protocol';
import { ingest, uploadPdf } from './support/documents-client';
import {
  DELIVERY_SENTENCE,
  GREEK_SENTENCE,
  LEFT_COLUMN,
  multiPagePdf,
  nonLatinPdf,
  RIGHT_COLUMN,
  RUSSIAN_SENTENCE,
  TABLE_ROWS,
  tablePdf,
  twoColumnPdf,
  WARRANTY_SENTENCE,
} from './support/sample-pdfs';

describe('documents: ingest and search on generated PDFs', () => {
  let backend: TestBackend;
  const priceList = multiPagePdf();

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  it('keeps page numbers: each known sentence is found on the page it was written on', async () => {
    const document = await ingest(backend, priceList, 'Heating price list.pdf');
    expect(document).toMatchObject({ status: 'ready', pages: 3, pagesDone: 3, error: null, title: 'Heating price list', ocrPages: [], tags: [], origin: null });
    // Each page's time is a stage Diagnostics and /metrics show (pdf_ingest_page).
    expect((await stageCounts(backend)).pdf_ingest_page).toBe(3);

    const warranty = await backend.call('documents.search', { query: 'warranty heat exchanger' });
    expect(warranty.passages[0]).toMatchObject({ documentId: document.id, title: 'Heating price list', page: 2 });
    expect(warranty.passages[0]!.text).toContain(WARRANTY_SENTENCE);
    expect(warranty.passages[0]!.score).toBeGreaterThan(0);

    const delivery = await backend.call('documents.search', { query: 'how many working days for delivery?' });
    expect(delivery.passages[0]).toMatchObject({ page: 3 });
    expect(delivery.passages[0]!.text).toContain(DELIVERY_SENTENCE);

    const price = await backend.call('documents.search', { query: 'condensing boilers price', limit: 1 });
    expect(price.passages).toHaveLength(1);
    expect(price.passages[0]).toMatchObject({ page: 1 });
  });

  it('reads two columns of prose column by column, even when the file interleaves their lines', async () => {
    const document = await ingest(backend, twoColumnPdf(), 'handbook-ch4.pdf');
    expect(document.status).toBe('ready');
    const { passages } = await backend.call('documents.search', { query: 'refund radiators thirty days' });
    const text = passages.map((passage) => passage.text).join(' ');
    expect(text).toContain(LEFT_COLUMN);
    const { passages: install } = await backend.call('documents.search', { query: 'certified fitter flue' });
    expect(install.map((passage) => passage.text).join(' ')).toContain(RIGHT_COLUMN);
  });

  it('keeps the rows of a table together', async () => {
    await ingest(backend, tablePdf(), 'boiler-table.pdf');
    const { passages } = await backend.call('documents.search', { query: 'Thermoplus 35 price' });
    expect(passages[0]!.text).toContain(TABLE_ROWS[3]!.join(' '));
  });

  it('extracts and finds Cyrillic and Greek text on its page', async () => {
    const document = await ingest(backend, nonLatinPdf(), 'гарантия.pdf');
    expect(document).toMatchObject({ status: 'ready', pages: 2, title: 'гарантия' });
    const russian = await backend.call('documents.search', { query: 'гарантия котёл' });
    expect(russian.passages[0]).toMatchObject({ documentId: document.id, page: 1, text: RUSSIAN_SENTENCE });
    const greek = await backend.call('documents.search', { query: 'εγγύηση λέβητα' });
    expect(greek.passages[0]).toMatchObject({ documentId: document.id, page: 2, text: GREEK_SENTENCE });
  });

  it('treats search syntax in a question as words, and finds nothing without an error when nothing matches', async () => {
    const odd = await backend.call('documents.search', { query: 'warranty AND "NEAR( exchanger* -years:' });
    expect(odd.passages[0]).toMatchObject({ page: 2 });
    const none = await backend.call('documents.search', { query: 'submarine periscope' });
    expect(none.passages).toEqual([]);
    const punctuation = await backend.call('documents.search', { query: '?!' });
    expect(punctuation.passages).toEqual([]);
  });

  it('publishes each step of a document on the documents topic, up to ready', async () => {
    const socket = await backend.openSocket();
    await socket.call('events.subscribe', { topics: [topics.documents] });
    const upload = await uploadPdf(backend, multiPagePdf(), 'events.pdf');
    const update = (frame: ServerFrame) => (frame.kind === 'event' && frame.event === 'documents.updated' ? (frame.data as EventData<'documents.updated'>) : undefined);
    const ready = update(await socket.waitForFrame((frame) => update(frame)?.document.status === 'ready' && update(frame)?.document.id === upload.body.id, 'documents.updated: ready', 20_000));
    expect(ready!.document).toMatchObject({ title: 'events', pages: 3, pagesDone: 3, status: 'ready' });
    const seen = socket.frames.map(update).filter((data) => data?.document.id === upload.body.id).map((data) => data!.document.status);
    expect(seen[0]).toBe('queued');
    expect(seen).toContain('extracting');
    await backend.call('documents.delete', { id: upload.body.id });
    const removed = update(await socket.waitForFrame((frame) => update(frame)?.removed === true, 'documents.updated: removed'));
    expect(removed!.document.id).toBe(upload.body.id);
    await socket.close();
  });

  it('lists the documents and serves the uploaded file for the viewer', async () => {
    const { documents } = await backend.call('documents.list', {});
    const list = documents.find((document) => document.title === 'Heating price list');
    expect(list).toBeDefined();
    const response = await backend.fetch(`/api/documents/${list!.id}/file`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await response.arrayBuffer()).equals(priceList)).toBe(true);
    const unauthenticated = await backend.fetch(`/api/documents/${list!.id}/file`, { token: null });
    expect(unauthenticated.status).toBe(401);
  });
});

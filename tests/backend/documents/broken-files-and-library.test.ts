import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RpcHttpError, startTestBackend, type TestBackend } from '../../support/backend-harness';
import { ingest, uploadPdf, waitForDocument } from './support/documents-client';
import { encryptedPdf, multiPagePdf, truncatedPdf, zeroPagePdf } from './support/sample-pdfs';

describe('documents: broken files get a status, the library recognises duplicates and deletes cleanly', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  it('marks a truncated PDF as failed with what to do, and keeps serving', async () => {
    const document = await ingest(backend, truncatedPdf(), 'cut-short.pdf');
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(/not a readable PDF.*damaged or cut short/s);
    expect(await backend.call('system.info', {})).toBeDefined();
  });

  it('marks a PDF with no pages as failed', async () => {
    const document = await ingest(backend, zeroPagePdf(), 'empty.pdf');
    expect(document).toMatchObject({ status: 'failed', error: 'The PDF has no pages.', pages: null });
  });

  it('asks for the password of an encrypted PDF, refuses a wrong one, and reads it with the right one', async () => {
    const locked = await ingest(backend, encryptedPdf('s3cret'), 'staff-discounts.pdf');
    expect(locked.status).toBe('needs_password');
    expect(locked.error).toMatch(/protected by a password/);

    await backend.call('documents.unlock', { id: locked.id, password: 'wrong' });
    const wrong = await waitForDocument(backend, locked.id);
    expect(wrong).toMatchObject({ status: 'needs_password', error: 'The password is not right for this PDF.' });

    await backend.call('documents.unlock', { id: locked.id, password: 's3cret' });
    const unlocked = await waitForDocument(backend, locked.id);
    expect(unlocked).toMatchObject({ status: 'ready', pages: 1 });
    const { passages } = await backend.call('documents.search', { query: 'staff discount spare parts' });
    expect(passages[0]).toMatchObject({ documentId: locked.id, page: 1 });
  });

  it('retries a failed file when the same file is uploaded again with what it lacked (its password)', async () => {
    const bytes = encryptedPdf('open sesame');
    const first = await ingest(backend, bytes, 'locked.pdf');
    expect(first.status).toBe('needs_password');
    const again = await uploadPdf(backend, bytes, 'locked.pdf', { password: 'open sesame' });
    expect(again.body).toMatchObject({ id: first.id, status: 'queued', duplicate: true });
    expect((await waitForDocument(backend, first.id)).status).toBe('ready');
  });

  it('refuses a file that is not a PDF at the upload, saying so', async () => {
    const upload = await uploadPdf(backend, Buffer.from('Name,Price\nBoiler,1890\n'), 'prices.csv');
    expect(upload.status).toBe(400);
    expect(upload.body.error).toMatchObject({ code: 'invalid_params', message: 'prices.csv is not a PDF (it does not start with %PDF-)' });
  });

  it('recognises a duplicate upload by its bytes and does not index it twice', async () => {
    const bytes = multiPagePdf();
    const first = await uploadPdf(backend, bytes, 'price list.pdf');
    expect(first).toMatchObject({ status: 202, body: { status: 'queued', duplicate: false } });
    await waitForDocument(backend, first.body.id);
    const second = await uploadPdf(backend, bytes, 'price list (copy).pdf');
    expect(second).toMatchObject({ status: 200, body: { id: first.body.id, status: 'ready', duplicate: true } });
    const { passages } = await backend.call('documents.search', { query: 'warranty heat exchanger', limit: 10 });
    expect(passages.filter((passage) => passage.documentId === first.body.id)).toHaveLength(1);
    const { documents } = await backend.call('documents.list', {});
    expect(documents.filter((document) => document.sha256 === documents.find((d) => d.id === first.body.id)!.sha256)).toHaveLength(1);
  });

  it('delete removes the document, its index entries and its file', async () => {
    const document = await ingest(backend, multiPagePdf(), 'to-delete.pdf');
    const before = await backend.call('documents.search', { query: 'delivery working days', limit: 10 });
    expect(before.passages.some((passage) => passage.documentId === document.id)).toBe(true);

    expect(await backend.call('documents.delete', { id: document.id })).toEqual({ deleted: true });
    const after = await backend.call('documents.search', { query: 'delivery working days', limit: 10 });
    expect(after.passages.some((passage) => passage.documentId === document.id)).toBe(false);
    await expect(backend.call('documents.get', { id: document.id })).rejects.toMatchObject({ code: 'not_found' } satisfies Partial<RpcHttpError>);
    expect((await backend.fetch(`/api/documents/${document.id}/file`)).status).toBe(404);
    expect(await backend.call('documents.delete', { id: document.id })).toEqual({ deleted: false });
  });

  it('renames a document; search answers with the new title', async () => {
    const document = await ingest(backend, multiPagePdf(), 'scan_0042.pdf');
    expect(document.title).toBe('scan 0042');
    const renamed = await backend.call('documents.rename', { id: document.id, title: 'Winter price list' });
    expect(renamed.title).toBe('Winter price list');
    const { passages } = await backend.call('documents.search', { query: 'condensing boilers', limit: 10 });
    expect(passages.some((passage) => passage.documentId === document.id && passage.title === 'Winter price list')).toBe(true);
  });
});

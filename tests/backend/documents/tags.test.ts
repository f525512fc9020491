import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '#protocol';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { ingest } from './support/documents-client';
import { multiPagePdf, tablePdf } from './support/sample-pdfs';

describe('documents: tags', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  it('adds and removes tags, filters the list and the search by tag, and tells open consoles', async () => {
    const priceList = await ingest(backend, multiPagePdf(), 'Heating price list.pdf');
    const table = await ingest(backend, tablePdf(), 'Boiler table.pdf');
    const socket = await backend.openSocket();
    await socket.request('events.subscribe', { topics: [topics.documents] });

    const tagged = await backend.call('documents.addTag', { id: priceList.id, tag: '  Prices ' });
    expect(tagged.tags).toEqual(['prices']);
    await backend.call('documents.addTag', { id: priceList.id, tag: '2026' });
    await backend.call('documents.addTag', { id: priceList.id, tag: 'prices' });
    await backend.call('documents.addTag', { id: table.id, tag: 'boilers' });
    const update = await socket.waitForEvent('documents.updated');
    expect(update.document).toMatchObject({ id: priceList.id, tags: ['prices'] });

    expect((await backend.call('documents.get', { id: priceList.id })).tags).toEqual(['2026', 'prices']);
    expect((await backend.call('documents.list', { tag: 'PRICES' })).documents.map((document) => document.id)).toEqual([priceList.id]);
    expect((await backend.call('documents.list', { tag: 'boilers' })).documents.map((document) => document.id)).toEqual([table.id]);
    expect((await backend.call('documents.list', {})).documents).toHaveLength(2);

    // "boiler" is in both documents: a tag keeps the search to one of them.
    const all = await backend.call('documents.search', { query: 'boiler', limit: 10 });
    expect(new Set(all.passages.map((passage) => passage.documentId))).toEqual(new Set([priceList.id, table.id]));
    const boilers = await backend.call('documents.search', { query: 'boiler', limit: 10, tag: 'boilers' });
    expect(boilers.passages.length).toBeGreaterThan(0);
    expect(boilers.passages.every((passage) => passage.documentId === table.id)).toBe(true);

    const untagged = await backend.call('documents.removeTag', { id: priceList.id, tag: 'prices' });
    expect(untagged.tags).toEqual(['2026']);
    expect((await backend.call('documents.list', { tag: 'prices' })).documents).toEqual([]);
  });

  it('refuses a tag on a document that does not exist, and an empty tag', async () => {
    await expect(backend.call('documents.addTag', { id: 'missing', tag: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    const { documents } = await backend.call('documents.list', {});
    await expect(backend.call('documents.addTag', { id: documents[0]!.id, tag: '   ' })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

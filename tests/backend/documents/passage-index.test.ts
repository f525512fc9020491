import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsMigrations } from '../../../backend/documents';
import { DocumentRepository } from '../../../backend/documents/document-repository';
import { createPassageIndex, type PassageIndex } from '../../../backend/documents/search/passage-index';
import { openAppStore, type AppStore } from '../../../backend/store';

describe('the FTS5 passage index', () => {
  let dataDir: string;
  let store: AppStore;
  let index: PassageIndex;
  let documents: DocumentRepository;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-passage-index-'));
    store = await openAppStore({ dataDir, secretKey: randomBytes(32).toString('base64'), migrations: documentsMigrations });
    index = createPassageIndex(store.knex);
    documents = new DocumentRepository(store.knex);
  });
  afterAll(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function addDocument(title: string, pages: string[], status: 'ready' | 'extracting' = 'ready') {
    const document = await documents.create({ title, fileName: `${title}.pdf`, sha256: title, sizeBytes: 1 });
    await index.add(document.id, pages.map((text, i) => ({ page: i + 1, text, ocr: false })));
    await documents.update(document.id, { status });
    return document.id;
  }

  it('ranks the passage with the rare words first, even when the question also has words nearly every passage holds', async () => {
    const filler = Array.from({ length: 30 }, (_, i) => `The price of item ${i} is listed in the price table.`);
    const id = await addDocument('catalogue', [...filler, 'The price of the solar collector is on request.']);
    const hits = await index.search('the price of the solar collector', 3);
    expect(hits[0]).toMatchObject({ documentId: id, page: 31, title: 'catalogue' });
    // A question made only of common words still finds passages (the rarest word is kept).
    expect((await index.search('the price', 5)).length).toBe(5);
  });

  it('leaves out documents that are not ready, and forgets a removed document', async () => {
    const reading = await addDocument('half-read', ['Geothermal probes reach ninety metres.'], 'extracting');
    expect(await index.search('geothermal probes', 5)).toEqual([]);
    await documents.update(reading, { status: 'ready' });
    expect((await index.search('geothermal probes', 5)).map((hit) => hit.documentId)).toEqual([reading]);
    await index.removeDocument(reading);
    expect(await index.search('geothermal probes', 5)).toEqual([]);
  });

  it('folds case and diacritics, and treats FTS5 syntax in the question as words', async () => {
    const id = await addDocument('café', ['Le café est servi à partir de sept heures.']);
    expect((await index.search('CAFE SERVI', 5))[0]?.documentId).toBe(id);
    expect((await index.search('café" OR NEAR(* -servi:', 5))[0]?.documentId).toBe(id);
  });
});

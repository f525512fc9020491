import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { documentsMigrations } from '../../backend/documents';
import { DocumentFiles } from '../../backend/documents/document-files';
import { DocumentRepository } from '../../backend/documents/document-repository';
import { ingestDocument } from '../../backend/documents/ingest/ingest-document';
import { OcrEngine } from '../../backend/documents/ocr/ocr-engine';
import { extractPdfText } from '../../backend/documents/ingest/pdf-text-extraction';
import { createPassageIndex, type PassageIndex } from '../../backend/documents/search/passage-index';
import { createEmbedder } from '../../backend/documents/embeddings/embedding-client';
import { EmbeddingStore } from '../../backend/documents/embeddings/embedding-store';
import { HybridPassageIndex } from '../../backend/documents/search/hybrid-passage-index';
import pino from 'pino';
import { hashedEmbedding } from '../support/scripted-embeddings';
import { startScriptedOpenAiServer } from '../support/scripted-openai-server';
import { openAppStore, type AppStore } from '../../backend/store';
import { seededRandom } from '../backend/base/audio/signals';
import { flowText, writePdf } from '../backend/documents/support/pdf-writer';
import { scannedPage } from '../backend/documents/support/sample-pdfs';
import { median, percentile, type BenchRow } from './bench-table';

const INGEST_PAGES = 500;
const SEARCH_PAGES = 10_000;
const SEARCH_QUERIES = 300;
const OCR_PAGES = 3;

/**
 * Documents: ingest speed of a 500-page PDF through the whole pipeline (pdf.js in its worker
 * thread, reading order, chunks, pages and FTS5 index in the app store) against pdf.js reading
 * the same text on the main thread and nothing else; search p95 over 10,000 indexed pages against
 * a LIKE scan of every passage for one word (what finding matches costs without the index); OCR seconds per scanned
 * page, warm, against the first page with tesseract's start. Hybrid search p95 over the same pages
 * (every passage with a vector; the query embedded by the scripted server over local HTTP through
 * the openai client, then BM25 and cosine fused by rank) against BM25 alone.
 */
export async function benchDocuments(): Promise<BenchRow[]> {
  const progress = (text: string) => process.stderr.write(`  documents: ${text}\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-documents-'));
  const store = await openAppStore({ dataDir, secretKey: randomBytes(32).toString('base64'), migrations: documentsMigrations });
  try {
    const rows: BenchRow[] = [];
    progress(`writing a ${INGEST_PAGES}-page PDF…`);
    const random = seededRandom(11);
    const pdf = writePdf(Array.from({ length: INGEST_PAGES }, () => ({ texts: flowText(prose(random, 330), { x: 60, top: 790, width: 475, size: 10 }) })));

    progress('pdf.js text on the main thread (baseline)…');
    const started = performance.now();
    const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
    const document = await task.promise;
    for (let page = 1; page <= document.numPages; page++) await (await document.getPage(page)).getTextContent();
    await task.destroy();
    const baselinePagesPerSecond = INGEST_PAGES / ((performance.now() - started) / 1000);

    progress('ingest through the pipeline…');
    const ingest = await ingestOnce(store, dataDir, pdf);
    rows.push({ name: `ingest ${INGEST_PAGES}-page PDF (worker, reading order, index)`, value: ingest, unit: 'pages/s', baselineName: 'pdf.js text only, main thread', baseline: baselinePagesPerSecond, goal: '≥ 50 pages/s on 2 cores' });

    progress(`indexing ${SEARCH_PAGES} pages for search…`);
    rows.push(...(await benchSearch(store)));

    progress('OCR of scanned pages…');
    rows.push(...(await benchOcr()));
    return rows;
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function ingestOnce(store: AppStore, dataDir: string, pdf: Buffer): Promise<number> {
  const documents = new DocumentRepository(store.knex);
  const files = new DocumentFiles(join(dataDir, 'documents'));
  const index = createPassageIndex(store.knex);
  const ocr = new OcrEngine();
  const sha256 = 'bench-ingest';
  await files.write(sha256, pdf);
  const record = await documents.create({ title: 'Bench', fileName: 'bench.pdf', sha256, sizeBytes: pdf.length });
  const started = performance.now();
  await ingestDocument({ documents, files, index, ocr, changed: () => undefined }, { documentId: record.id, sha256, password: undefined, ocrEnabled: true, signal: new AbortController().signal });
  const seconds = (performance.now() - started) / 1000;
  const done = await documents.get(record.id);
  if (done.status !== 'ready' || done.pagesDone !== INGEST_PAGES) throw new Error(`Bench ingest ended ${done.status}: ${done.error ?? ''}`);
  await index.removeDocument(record.id);
  await documents.delete(record.id);
  await ocr.dispose();
  return INGEST_PAGES / seconds;
}

async function benchSearch(store: AppStore): Promise<BenchRow[]> {
  const documents = new DocumentRepository(store.knex);
  const index = createPassageIndex(store.knex);
  const random = seededRandom(29);
  const perDocument = 500;
  for (let d = 0; d < SEARCH_PAGES / perDocument; d++) {
    const record = await documents.create({ title: `Manual ${d + 1}`, fileName: `manual-${d + 1}.pdf`, sha256: `bench-search-${d}`, sizeBytes: 1 });
    // Two passages per page, as the chunker makes of a full page of prose.
    const passages = Array.from({ length: perDocument * 2 }, (_, i) => ({ page: Math.floor(i / 2) + 1, text: prose(random, 120), ocr: false }));
    await index.add(record.id, passages);
    await documents.update(record.id, { status: 'ready', pages: perDocument, pagesDone: perDocument });
  }
  const queries = Array.from({ length: SEARCH_QUERIES }, () => `${word(random)} ${word(random)} ${word(random)}`);
  for (const query of queries.slice(0, 20)) await index.search(query, 8); // warm the page cache
  const fts = await timeSearches(index, queries);
  const scan: number[] = [];
  for (const query of queries.slice(0, 20)) {
    const started = performance.now();
    await store.knex('document_chunks').where('text', 'like', `%${query.split(' ')[0]}%`).count({ n: '*' });
    scan.push(performance.now() - started);
  }
  const hybrid = await benchHybrid(store, index, queries);
  return [
    { name: `search p95 over ${SEARCH_PAGES} pages (FTS5, BM25, top 8)`, value: percentile(fts, 95), unit: 'ms', baselineName: 'LIKE scan of every passage, one word, p95', baseline: percentile(scan, 95), goal: '< 20 ms' },
    { name: `search median over ${SEARCH_PAGES} pages`, value: median(fts), unit: 'ms' },
    {
      name: `hybrid search p95 over ${SEARCH_PAGES} pages (query embedding, BM25 + cosine, RRF)`,
      value: percentile(hybrid, 95),
      unit: 'ms',
      baselineName: 'BM25 alone, p95',
      baseline: percentile(fts, 95),
      goal: 'measured (no goal set)',
    },
  ];
}

async function timeSearches(index: PassageIndex, queries: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await index.search(query, 8);
    times.push(performance.now() - started);
  }
  return times;
}

/** Vectors for every passage (hashed trigrams, as the scripted server computes them), then timed hybrid searches. */
async function benchHybrid(store: AppStore, bm25: PassageIndex, queries: readonly string[]): Promise<number[]> {
  const llm = await startScriptedOpenAiServer();
  try {
    const embedder = await createEmbedder({ providerId: 'bench', model: 'hash-embed' }, async () => ({ baseUrl: llm.baseUrl, apiKey: undefined, headers: {} }));
    const vectors = new EmbeddingStore(store.knex);
    const documentIds = (await store.knex('documents').pluck('id')) as string[];
    for (const documentId of documentIds) {
      for (;;) {
        const batch = await vectors.missing(documentId, embedder.key, 1000);
        if (batch.length === 0) break;
        await vectors.save(
          documentId,
          embedder.key,
          batch.map((passage) => ({ passageId: passage.passageId, vector: Float32Array.from(hashedEmbedding(passage.text)) })),
        );
      }
    }
    const hybrid = new HybridPassageIndex({ knex: store.knex, bm25, vectors, embedder: async () => embedder, logger: pino({ level: 'silent' }) });
    for (const query of queries.slice(0, 20)) await hybrid.search(query, 8); // vectors into memory, connections warm
    return await timeSearches(hybrid, queries);
  } finally {
    await llm.close();
  }
}

async function benchOcr(): Promise<BenchRow[]> {
  const pages = await Promise.all(Array.from({ length: OCR_PAGES + 1 }, (_, i) => scannedPage([`Scanned bench page ${i + 1}`, 'The boiler room key hangs', 'behind the reception desk', 'Call facilities on extension 214'])));
  const pdf = writePdf(pages);
  const ocr = new OcrEngine();
  const signal = new AbortController().signal;
  const seconds: number[] = [];
  try {
    for await (const event of extractPdfText(new Uint8Array(pdf), { renderBlankPages: true, signal })) {
      if (event.type !== 'page' || !event.image) continue;
      const started = performance.now();
      const result = await ocr.recognize(event.image, signal);
      if (!/reception desk/i.test(result.text)) throw new Error(`OCR misread the bench page: ${result.text}`);
      seconds.push((performance.now() - started) / 1000);
    }
  } finally {
    await ocr.dispose();
  }
  const [cold, ...warm] = seconds;
  return [{ name: 'OCR per scanned page (tesseract.js, eng, warm)', value: median(warm), unit: 's/page', baselineName: 'first page, tesseract start included', baseline: cold!, goal: 'measured (no goal set)' }];
}

const SYLLABLES = ['bo', 'ka', 'ter', 'mi', 'lon', 'sa', 've', 'ri', 'dan', 'pu', 'gel', 'for', 'na', 'ti', 'ro', 'mes', 'ul', 'che', 'va', 'din'];

/** A made-up vocabulary with a few very common words and a long tail, as real text has. */
function word(random: () => number): string {
  const rank = Math.floor(4000 * random() ** 3);
  let text = '';
  let n = rank + 1;
  while (n > 0) {
    text += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return text;
}

function prose(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(i % 14 === 13 ? `${word(random)}.` : word(random));
  return out.join(' ');
}

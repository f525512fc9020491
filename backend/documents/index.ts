import { join } from 'node:path';
import type { Disposable } from '../base';
import type { CapabilityFactory } from '../platform/capability';
import { DocumentFiles } from './document-files';
import { documentIntake } from './document-intake';
import { DocumentLibrary } from './document-library';
import { DocumentRepository } from './document-repository';
import { documentsHandlers } from './documents-handlers';
import type { ResolveProvider } from './embeddings/embedding-client';
import { EmbeddingStore } from './embeddings/embedding-store';
import { PassageEmbeddings } from './embeddings/passage-embeddings';
import { documentsMigrations } from './migrations';
import { OcrEngine } from './ocr/ocr-engine';
import { OcrLanguages } from './ocr/ocr-languages';
import { fileRoute } from './routes/file-route';
import { uploadRoute } from './routes/upload-route';
import { searchDocumentsTool } from './search-documents-tool';
import { HybridPassageIndex } from './search/hybrid-passage-index';
import { createPassageIndex } from './search/passage-index';

export { documentsMigrations } from './migrations';
export type { DocumentLibrary } from './document-library';
export type { ProviderAccess, ResolveProvider } from './embeddings/embedding-client';

export interface DocumentsDependencies {
  /** A provider's address and key (the agent's providers), for `/embeddings`. */
  resolveProvider: ResolveProvider;
}

/**
 * Staff's PDFs: upload (and PDFs other channels hand over), ingest as jobs (text in reading order,
 * OCR for scans in the chosen languages), a full-text index with optional embeddings for hybrid
 * search, the search_documents tool, the control API and the file the viewer opens.
 */
export function documentsCapability(deps: DocumentsDependencies): CapabilityFactory {
  return (context) => {
    const documents = new DocumentRepository(context.store.knex);
    const files = new DocumentFiles(join(context.dataDir, 'documents'));
    const vectors = new EmbeddingStore(context.store.knex);
    const embeddings = new PassageEmbeddings({ knex: context.store.knex, store: vectors, jobs: context.jobs, settings: context.settings, resolveProvider: deps.resolveProvider, logger: context.logger });
    const index = new HybridPassageIndex({ knex: context.store.knex, bm25: createPassageIndex(context.store.knex), vectors, embedder: () => embeddings.embedder(), logger: context.logger });
    const ocrLanguages = new OcrLanguages({
      directory: join(context.dataDir, 'models', 'tessdata'),
      settings: context.settings,
      settingChanged: (key, value) => context.events.publish('settings.changed', { key, value }),
    });
    const library = new DocumentLibrary({
      documents,
      files,
      index,
      jobs: context.jobs,
      logger: context.logger,
      ocr: new OcrEngine(() => ocrLanguages.selection()),
      ocrEnabled: () => context.settings.get('documents.ocr.enabled'),
      ready: (id) => embeddings.queue(id),
      observePage: (ms) => context.metrics.observeStage('pdf_ingest_page', ms),
      publish: (document, removed) => context.events.publish('documents.updated', { document, removed }),
    });
    const announce = async (id: string) => {
      const document = await documents.find(id);
      if (document) context.events.publish('documents.updated', { document, removed: false });
    };
    let intake: Disposable | undefined;
    return {
      id: 'documents',
      migrations: documentsMigrations,
      methods: documentsHandlers({ library, documents, ocrLanguages, announce }),
      routes: [uploadRoute(library), fileRoute(documents, files)],
      tools: [searchDocumentsTool(library)],
      health: {
        documents: async () => {
          const all = await documents.list();
          const ready = all.filter((document) => document.status === 'ready').length;
          const embedder = await embeddings.embedder().catch(() => undefined);
          const coverage = embedder ? await vectors.coverage(embedder.key) : undefined;
          const hybrid = coverage ? `; hybrid search: ${coverage.embedded} of ${coverage.passages} passages embedded (${embedder!.key})` : '';
          return { ready: true, detail: `${ready} of ${all.length} document(s) searchable${hybrid}` };
        },
      },
      start: () => {
        library.start();
        embeddings.start();
        intake = context.documentIntake.provide(documentIntake(library));
      },
      stop: async () => {
        intake?.dispose();
        await embeddings.stop();
        await library.stop();
      },
    };
  };
}

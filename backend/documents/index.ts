import { join } from 'node:path';
import type { CapabilityFactory } from '../platform/capability';
import { DocumentFiles } from './document-files';
import { DocumentLibrary } from './document-library';
import { DocumentRepository } from './document-repository';
import { documentsHandlers } from './documents-handlers';
import { documentsMigrations } from './migrations';
import { fileRoute } from './routes/file-route';
import { uploadRoute } from './routes/upload-route';
import { searchDocumentsTool } from './search-documents-tool';
import { createPassageIndex } from './search/passage-index';

export { documentsMigrations } from './migrations';
export type { DocumentLibrary } from './document-library';

/**
 * Staff's PDFs: upload, ingest as jobs (text in reading order, OCR for scans), a full-text index,
 * the search_documents tool, the control API and the file the viewer opens.
 */
export const documentsCapability: CapabilityFactory = (context) => {
  const documents = new DocumentRepository(context.store.knex);
  const files = new DocumentFiles(join(context.dataDir, 'documents'));
  const index = createPassageIndex(context.store.knex);
  const library = new DocumentLibrary({
    documents,
    files,
    index,
    jobs: context.jobs,
    logger: context.logger,
    ocrEnabled: () => context.settings.get('documents.ocr.enabled'),
    publish: (document, removed) => context.events.publish('documents.updated', { document, removed }),
  });
  const announce = async (id: string) => {
    const document = await documents.find(id);
    if (document) context.events.publish('documents.updated', { document, removed: false });
  };
  return {
    id: 'documents',
    migrations: documentsMigrations,
    methods: documentsHandlers(library, documents, announce),
    routes: [uploadRoute(library), fileRoute(documents, files)],
    tools: [searchDocumentsTool(library)],
    health: {
      documents: async () => {
        const all = await documents.list();
        const ready = all.filter((document) => document.status === 'ready').length;
        return { ready: true, detail: `${ready} of ${all.length} document(s) searchable` };
      },
    },
    start: () => library.start(),
    stop: () => library.stop(),
  };
};

import type { MethodHandlers } from '#protocol';
import type { DocumentLibrary } from './document-library';
import type { DocumentRepository } from './document-repository';
import type { OcrLanguages } from './ocr/ocr-languages';

type DocumentsMethod =
  | 'documents.list'
  | 'documents.get'
  | 'documents.search'
  | 'documents.delete'
  | 'documents.cancel'
  | 'documents.unlock'
  | 'documents.rename'
  | 'documents.setAccess'
  | 'documents.addTag'
  | 'documents.removeTag'
  | 'documents.ocrLanguages.list'
  | 'documents.ocrLanguages.install'
  | 'documents.ocrLanguages.remove';

export interface DocumentsHandlerDependencies {
  library: DocumentLibrary;
  documents: DocumentRepository;
  ocrLanguages: OcrLanguages;
  /** Publishes documents.updated for the document. */
  announce(id: string): Promise<void>;
}

export function documentsHandlers({ library, documents, ocrLanguages, announce }: DocumentsHandlerDependencies): MethodHandlers<DocumentsMethod> {
  const changed = async (id: string) => {
    await announce(id);
    return documents.get(id);
  };
  return {
    'documents.list': async ({ tag }) => ({ documents: await documents.list({ tag }) }),
    'documents.get': ({ id }) => documents.get(id),
    'documents.search': async ({ query, limit, tag }) => ({ passages: await library.search(query, limit ?? 8, { tag }) }),
    'documents.delete': async ({ id }) => ({ deleted: await library.delete(id) }),
    'documents.cancel': async ({ id }) => ({ cancelled: await library.cancel(id) }),
    'documents.unlock': ({ id, password }) => library.unlock(id, password),
    'documents.setAccess': async ({ id, whatsapp }) => {
      await documents.setWhatsappAccess(id, whatsapp);
      return changed(id);
    },
    'documents.rename': async ({ id, title }) => {
      await documents.rename(id, title);
      return changed(id);
    },
    'documents.addTag': async ({ id, tag }) => {
      await documents.addTag(id, tag);
      return changed(id);
    },
    'documents.removeTag': async ({ id, tag }) => {
      await documents.removeTag(id, tag);
      return changed(id);
    },
    'documents.ocrLanguages.list': async () => ({ languages: await ocrLanguages.list() }),
    'documents.ocrLanguages.install': async ({ code, sha256 }, { signal }) => {
      await ocrLanguages.install(code, sha256, signal);
      return { languages: await ocrLanguages.list() };
    },
    'documents.ocrLanguages.remove': async ({ code }) => {
      await ocrLanguages.remove(code);
      return { languages: await ocrLanguages.list() };
    },
  };
}

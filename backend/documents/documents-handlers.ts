import type { MethodHandlers } from '#protocol';
import type { DocumentLibrary } from './document-library';
import type { DocumentRepository } from './document-repository';

type DocumentsMethod = 'documents.list' | 'documents.get' | 'documents.search' | 'documents.delete' | 'documents.cancel' | 'documents.unlock' | 'documents.rename' | 'documents.setAccess';

export function documentsHandlers(library: DocumentLibrary, documents: DocumentRepository, announce: (id: string) => Promise<void>): MethodHandlers<DocumentsMethod> {
  return {
    'documents.list': async () => ({ documents: await documents.list() }),
    'documents.get': ({ id }) => documents.get(id),
    'documents.search': async ({ query, limit }) => ({ passages: await library.search(query, limit ?? 8) }),
    'documents.delete': async ({ id }) => ({ deleted: await library.delete(id) }),
    'documents.cancel': async ({ id }) => ({ cancelled: await library.cancel(id) }),
    'documents.unlock': ({ id, password }) => library.unlock(id, password),
    'documents.setAccess': async ({ id, whatsapp }) => {
      await documents.setWhatsappAccess(id, whatsapp);
      await announce(id);
      return documents.get(id);
    },
    'documents.rename': async ({ id, title }) => {
      await documents.rename(id, title);
      await announce(id);
      return documents.get(id);
    },
  };
}

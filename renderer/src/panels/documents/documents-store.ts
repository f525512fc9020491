import { queryOptions, useMutation } from '@tanstack/react-query';
import { topics, type DocumentRecord, type EventData } from '#protocol';
import { controlClient } from '../../connection';
import { queryClient, useBackendEvent, useBackendQuery, useReloadOnShow, useTopic } from '../../server-state';

const SOURCE = 'Documents';
export const documentsKey = ['documents'] as const;

const documentsQuery = queryOptions({
  queryKey: documentsKey,
  queryFn: async ({ signal }) => (await controlClient.request('documents.list', {}, { signal })).documents,
  meta: { source: SOURCE },
});

/** The library, kept fresh by documents.updated while the panel is shown. */
export function useDocuments() {
  useTopic(topics.documents);
  useReloadOnShow(documentsKey);
  useBackendEvent('documents.updated', (update) => queryClient.setQueryData<DocumentRecord[]>(documentsKey, (list) => applyUpdate(list, update)));
  return useBackendQuery(documentsQuery);
}

/** A documents.updated event applied to the list: replaced in place, added on top, or removed. */
export function applyUpdate(list: DocumentRecord[] | undefined, { document, removed }: EventData<'documents.updated'>): DocumentRecord[] | undefined {
  if (!list) return list;
  if (removed) return list.filter((item) => item.id !== document.id);
  const index = list.findIndex((item) => item.id === document.id);
  if (index === -1) return [document, ...list];
  return list.map((item) => (item.id === document.id ? document : item));
}

/** Delete, cancel, unlock, rename, sharing and tags of one document. */
export function useDocumentActions(id: string) {
  const options = { meta: { source: SOURCE } };
  const remove = useMutation({ ...options, mutationFn: () => controlClient.request('documents.delete', { id }) });
  const cancel = useMutation({ ...options, mutationFn: () => controlClient.request('documents.cancel', { id }) });
  const unlock = useMutation({ ...options, mutationFn: (password: string) => controlClient.request('documents.unlock', { id, password }) });
  const rename = useMutation({ ...options, mutationFn: (title: string) => controlClient.request('documents.rename', { id, title }) });
  const share = useMutation({ ...options, mutationFn: (whatsapp: boolean) => controlClient.request('documents.setAccess', { id, whatsapp }) });
  const addTag = useMutation({ ...options, mutationFn: (tag: string) => controlClient.request('documents.addTag', { id, tag }) });
  const removeTag = useMutation({ ...options, mutationFn: (tag: string) => controlClient.request('documents.removeTag', { id, tag }) });
  return {
    busy: remove.isPending || cancel.isPending || unlock.isPending || rename.isPending || share.isPending || addTag.isPending || removeTag.isPending,
    remove: () => remove.mutate(),
    cancel: () => cancel.mutate(),
    unlock: (password: string) => unlock.mutate(password),
    rename: (title: string) => rename.mutate(title),
    shareWithWhatsapp: (allowed: boolean) => share.mutate(allowed),
    addTag: (tag: string) => addTag.mutate(tag),
    removeTag: (tag: string) => removeTag.mutate(tag),
  };
}

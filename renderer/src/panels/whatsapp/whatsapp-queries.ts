import { queryOptions } from '@tanstack/react-query';
import type { MethodName, ParamsOf, ResultOf } from '#protocol';

/** What the panel's queries need of the control client (a fake one in tests). */
export interface WhatsAppRequester {
  request<M extends MethodName>(method: M, params: ParamsOf<M>, options?: { signal?: AbortSignal }): Promise<ResultOf<M>>;
}

/** Everything the panel caches; `whatsapp.changed` invalidates the lot (contacts and the open thread). */
export const whatsappKeys = {
  all: ['whatsapp'] as const,
  status: ['whatsapp', 'status'] as const,
  contacts: ['whatsapp', 'contacts'] as const,
  thread: (contactId: string) => ['whatsapp', 'thread', contactId] as const,
};

export const statusQuery = (client: WhatsAppRequester) =>
  queryOptions({ queryKey: whatsappKeys.status, queryFn: ({ signal }) => client.request('whatsapp.status', {}, { signal }), meta: { source: 'WhatsApp' } });

export const contactsQuery = (client: WhatsAppRequester) =>
  queryOptions({
    queryKey: whatsappKeys.contacts,
    queryFn: async ({ signal }) => (await client.request('whatsapp.contacts.list', {}, { signal })).contacts,
    meta: { source: 'WhatsApp inbox' },
  });

export const threadQuery = (client: WhatsAppRequester, contactId: string) =>
  queryOptions({
    queryKey: whatsappKeys.thread(contactId),
    queryFn: ({ signal }) => client.request('whatsapp.messages.list', { contactId }, { signal }),
    meta: { source: 'WhatsApp conversation' },
  });

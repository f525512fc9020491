import { queryOptions } from '@tanstack/react-query';
import {
  defaultSettings,
  ParleyError,
  type MethodName,
  type ModelDownloadProgress,
  type ParamsOf,
  type ResultOf,
  type Settings,
  type SpeechModel,
} from '#protocol';
import { queryKeys } from './query-keys';

/** What a query needs of the ControlClient (a fake one in tests). */
export interface Requester {
  request<M extends MethodName>(method: M, params: ParamsOf<M>, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<ResultOf<M>>;
}

/** Shown beside a failure in the error history: which part of the console asked. */
export interface QueryMeta extends Record<string, unknown> {
  source: string;
}

export type Conversation = ResultOf<'conversations.list'>['conversations'][number];
export type Message = ResultOf<'conversations.messages'>['messages'][number];
export type SystemInfo = ResultOf<'system.info'>;
export type LogEntry = ResultOf<'diagnostics.recentLogs'>['entries'][number];

export interface SpeechModelList {
  models: SpeechModel[];
  /** Downloads in progress (and the last failed one per model, until the next try), by model id. */
  downloads: Record<string, ModelDownloadProgress>;
}

export const settingsQuery = (client: Requester) =>
  queryOptions({
    queryKey: queryKeys.settings,
    queryFn: async ({ signal }): Promise<Settings> => {
      const { settings } = await client.request('settings.list', {}, { signal });
      return { ...defaultSettings(), ...settings } as Settings;
    },
    meta: { source: 'Settings' } satisfies QueryMeta,
  });

export const providersQuery = (client: Requester) =>
  queryOptions({
    queryKey: queryKeys.providers,
    queryFn: async ({ signal }) => (await client.request('providers.list', {}, { signal })).providers,
    meta: { source: 'Models' } satisfies QueryMeta,
  });

/** Listed live from the provider; a failure is kept (not retried) so pickers do not ask again. */
export const providerModelsQuery = (client: Requester, providerId: string) =>
  queryOptions({
    queryKey: queryKeys.providerModels(providerId),
    queryFn: async ({ signal }) => sortModels((await client.request('providers.models', { id: providerId }, { signal })).models),
    retryOnMount: false,
    meta: { source: 'Models' } satisfies QueryMeta,
  });

export function sortModels(models: readonly string[]): string[] {
  return [...models].sort((a, b) => a.localeCompare(b));
}

export const conversationListQuery = (client: Requester, search: string) =>
  queryOptions({
    queryKey: queryKeys.conversationList(search),
    queryFn: async ({ signal }) => (await client.request('conversations.list', search ? { search } : {}, { signal })).conversations,
    meta: { source: 'Conversation' } satisfies QueryMeta,
  });

/** A conversation's messages; null once it is gone (deleted here or in another window). */
export const conversationMessagesQuery = (client: Requester, conversationId: string) =>
  queryOptions({
    queryKey: queryKeys.conversationMessages(conversationId),
    queryFn: async ({ signal }): Promise<Message[] | null> => {
      try {
        return (await client.request('conversations.messages', { id: conversationId }, { signal })).messages;
      } catch (error) {
        if (error instanceof ParleyError && error.code === 'not_found') return null;
        throw error;
      }
    },
    meta: { source: 'Conversation' } satisfies QueryMeta,
  });

export const speechModelsQuery = (client: Requester) =>
  queryOptions({
    queryKey: queryKeys.speechModels,
    queryFn: async ({ signal }): Promise<SpeechModelList> => {
      const { models, downloads } = await client.request('speech.models.list', {}, { signal });
      return { models, downloads: Object.fromEntries(downloads.map((download) => [download.id, download])) };
    },
    meta: { source: 'Voice models' } satisfies QueryMeta,
  });

// Diagnostics are a snapshot taken when the panel opens or Refresh is pressed: no event keeps them fresh.
const diagnosticsMeta = { source: 'Diagnostics' } satisfies QueryMeta;

export const systemInfoQuery = (client: Requester) =>
  queryOptions({ queryKey: queryKeys.systemInfo, queryFn: ({ signal }) => client.request('system.info', {}, { signal }), staleTime: 0, meta: diagnosticsMeta });

/** How long the socket takes to answer a ping, in milliseconds. */
export const roundTripQuery = (client: Requester) =>
  queryOptions({
    queryKey: queryKeys.roundTrip,
    queryFn: async ({ signal }) => {
      const started = performance.now();
      await client.request('system.ping', {}, { signal });
      return performance.now() - started;
    },
    staleTime: 0,
    meta: diagnosticsMeta,
  });

export const healthQuery = (client: Requester) =>
  queryOptions({ queryKey: queryKeys.health, queryFn: ({ signal }) => client.request('diagnostics.health', {}, { signal }), staleTime: 0, meta: diagnosticsMeta });

export const recentLogsQuery = (client: Requester, limit: number) =>
  queryOptions({
    queryKey: queryKeys.recentLogs(limit),
    queryFn: async ({ signal }) => (await client.request('diagnostics.recentLogs', { limit }, { signal })).entries,
    staleTime: 0,
    meta: diagnosticsMeta,
  });

export type JobQueueState = ResultOf<'diagnostics.jobs'>;

/** The job queue: counts per queue and the dead letters (with their last error) an operator may retry. */
export const jobsQuery = (client: Requester) =>
  queryOptions({
    queryKey: queryKeys.jobs,
    queryFn: ({ signal }) => client.request('diagnostics.jobs', { status: 'dead', limit: 50 }, { signal }),
    staleTime: 0,
    meta: diagnosticsMeta,
  });

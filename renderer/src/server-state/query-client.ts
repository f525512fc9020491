import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { QueryMeta } from './queries';

export interface QueryClientHooks {
  /** Where a failed query or mutation is shown (the errors store's reportError). */
  reportError(source: string, error: unknown): void;
  /** False while the connection is down: the lost connection is shown once, not per query. */
  isConnected(): boolean;
}

/**
 * Server state lives here, not in the UI stores. Nothing goes stale by time: backend events
 * (server-events.ts), taking a topic again (useTopic) and each reconnect mark what changed.
 */
export function createQueryClient(hooks: QueryClientHooks): QueryClient {
  const report = (error: unknown, meta: Record<string, unknown> | undefined) => {
    if (!hooks.isConnected()) return;
    hooks.reportError((meta as QueryMeta | undefined)?.source ?? 'Backend', error);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => report(error, query.meta) }),
    mutationCache: new MutationCache({ onError: (error, _variables, _context, mutation) => report(error, mutation.meta) }),
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        // The backend is on loopback or a tunnel: the browser's online flag says nothing about it.
        networkMode: 'always',
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

import { useQuery, useQueryClient, type QueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EventData, EventName } from '#protocol';
import { controlClient, useIsConnected } from '../connection';
import { queryKeysOfTopic } from './query-keys';

/**
 * Holds a topic while the component is shown: subscribed in an effect, released when it unmounts
 * (or the topic changes). Taking it marks the queries it keeps fresh as stale, since its events
 * were missed while nobody held it. null holds nothing.
 */
export function useTopic(topic: string | null | undefined): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!topic) return;
    const release = controlClient.subscribe(topic);
    markTopicStale(queryClient, topic);
    return release;
  }, [topic, queryClient]);
}

export function markTopicStale(queryClient: QueryClient, topic: string): void {
  // cancelRefetch: false: a load already under way (the first one) is not started over.
  for (const queryKey of queryKeysOfTopic(topic)) void queryClient.invalidateQueries({ queryKey }, { cancelRefetch: false });
}

/** Calls `handler` with each `event` while the component is shown (the latest handler, without re-subscribing). */
export function useBackendEvent<E extends EventName>(event: E, handler: (data: EventData<E>) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => controlClient.on(event, (data) => latest.current(data)), [event]);
}

/** useQuery that waits for the connection (a request offline fails at once). */
export function useBackendQuery<TQueryFnData, TData = TQueryFnData, TQueryKey extends readonly unknown[] = readonly unknown[]>(
  options: UseQueryOptions<TQueryFnData, Error, TData, TQueryKey>,
) {
  const connected = useIsConnected();
  return useQuery({ ...options, enabled: connected && options.enabled !== false });
}

/** For server state no topic follows (providers): loaded again each time the component is shown. */
export function useReloadOnShow(queryKey: readonly unknown[]): void {
  const queryClient = useQueryClient();
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as unknown[] }, { cancelRefetch: false });
  }, [key, queryClient]);
}

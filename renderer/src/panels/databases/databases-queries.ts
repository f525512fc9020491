import { useQueryClient } from '@tanstack/react-query';
import { topics, type ParamsOf } from '#protocol';
import { controlClient } from '../../connection';
import { useBackendEvent, useBackendQuery, useTopic } from '../../server-state';

export const databaseKeys = {
  all: ['databases'] as const,
  list: ['databases', 'list'] as const,
  schema: (connection: string) => ['databases', 'schema', connection] as const,
  history: (connection: string) => ['databases', 'history', connection] as const,
};

/** The connections, kept fresh by databases.changed while the panel is shown. */
export function useConnections() {
  const queryClient = useQueryClient();
  useTopic(topics.databases);
  useBackendEvent('databases.changed', () => void queryClient.invalidateQueries({ queryKey: databaseKeys.all }));
  return useBackendQuery({ queryKey: databaseKeys.list, queryFn: async () => (await controlClient.request('databases.list', {})).connections });
}

export function useSchema(connection: string | null) {
  return useBackendQuery({
    queryKey: databaseKeys.schema(connection ?? ''),
    queryFn: () => controlClient.request('databases.schema', { connection: connection!, refresh: false }),
    enabled: connection !== null,
    staleTime: Infinity,
  });
}

export function useHistory(connection: string | null) {
  return useBackendQuery({
    queryKey: databaseKeys.history(connection ?? ''),
    queryFn: async () => (await controlClient.request('databases.history', { connection: connection!, limit: 50 })).entries,
    enabled: connection !== null,
  });
}

export type SaveConnectionParams = ParamsOf<'databases.save'>;

import { queryOptions } from '@tanstack/react-query';
import type { MethodName, ParamsOf, ResultOf } from '#protocol';
import { windowFor, type TimeRange } from './time-ranges';

/** What the panel's queries need of the control client (a fake one in tests). */
export interface DiagnosticsRequester {
  request<M extends MethodName>(method: M, params: ParamsOf<M>, options?: { signal?: AbortSignal }): Promise<ResultOf<M>>;
}

const meta = { source: 'Diagnostics' };

/** Under ['diagnostics'], so the panel's Refresh reloads them with the rest. */
export const diagnosticsKeys = {
  metrics: ['diagnostics', 'metrics'] as const,
  metricsOf: (range: TimeRange['id']) => ['diagnostics', 'metrics', range] as const,
  logs: (filter: ParamsOf<'diagnostics.logs'>) => ['diagnostics', 'logs', filter] as const,
  replays: ['diagnostics', 'replays'] as const,
  replayRuns: ['diagnostics', 'replays', 'list'] as const,
  replayRun: (id: string) => ['diagnostics', 'replays', 'run', id] as const,
};

/** Every stage's series over the range, the window sliding with the clock at each fetch. */
export const metricsQuery = (client: DiagnosticsRequester, range: TimeRange) =>
  queryOptions({
    queryKey: diagnosticsKeys.metricsOf(range.id),
    queryFn: ({ signal }) => client.request('diagnostics.metrics', windowFor(range, Date.now()), { signal }),
    // Keeps the last chart on screen while the next window loads: no flash between updates.
    placeholderData: (previous) => previous,
    meta,
  });

export const logsQuery = (client: DiagnosticsRequester, filter: ParamsOf<'diagnostics.logs'>) =>
  queryOptions({ queryKey: diagnosticsKeys.logs(filter), queryFn: ({ signal }) => client.request('diagnostics.logs', filter, { signal }), placeholderData: (previous) => previous, staleTime: 0, meta });

export const replayRunsQuery = (client: DiagnosticsRequester) =>
  queryOptions({ queryKey: diagnosticsKeys.replayRuns, queryFn: async ({ signal }) => (await client.request('diagnostics.replay.list', {}, { signal })).runs, meta });

export const replayRunQuery = (client: DiagnosticsRequester, id: string) =>
  queryOptions({ queryKey: diagnosticsKeys.replayRun(id), queryFn: ({ signal }) => client.request('diagnostics.replay.get', { id }, { signal }), meta });

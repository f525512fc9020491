import { topics, type MetricSeries, type Stage } from '#protocol';
import type { ParleySocketClient, TestBackend } from '../../support/backend-harness';

/** The stored series of the last `minutes` (up to the next minute), one slot per minute. */
export async function storedSeries(backend: TestBackend, minutes = 10, stage?: Stage): Promise<MetricSeries[]> {
  const to = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
  return (await backend.call('diagnostics.metrics', { from: to - minutes * 60_000, to, step: 60_000, ...(stage ? { stage } : {}) })).series;
}

/** Events and errors per stage over the whole window. */
export function totals(series: readonly MetricSeries[]): Record<string, { count: number; errors: number }> {
  return Object.fromEntries(
    series.map(({ stage, points }) => [stage, { count: points.reduce((sum, point) => sum + point.count, 0), errors: points.reduce((sum, point) => sum + point.errors, 0) }]),
  );
}

/** The rows of the time series table, as they are in the app store. */
export async function storedRows(backend: TestBackend): Promise<Array<{ stage: string; count: number; errors: number }>> {
  return backend.backend.store.knex('diagnostics_stage_minutes').select('stage', 'count', 'errors');
}

/** A socket that holds the `diagnostics` topic, as the open panel does. */
export async function diagnosticsSocket(backend: TestBackend): Promise<ParleySocketClient> {
  const socket = await backend.openSocket();
  await socket.call('events.subscribe', { topics: [topics.diagnostics, topics.diagnosticsStatus] });
  return socket;
}

/** `parley_stage_errors_total` per stage, from /metrics. */
export async function stageErrorCounts(backend: TestBackend): Promise<Record<string, number>> {
  const text = await (await backend.fetch('/metrics')).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^parley_stage_errors_total\{stage="([a-z_]+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

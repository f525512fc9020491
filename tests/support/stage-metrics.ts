import type { TestBackend } from './backend-harness';

/** How many durations `/metrics` has recorded per stage of parley_stage_duration_seconds. */
export async function stageCounts(backend: TestBackend): Promise<Record<string, number>> {
  const text = await (await backend.fetch('/metrics')).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^parley_stage_duration_seconds_count\{stage="([a-z_]+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

/** One series of /metrics by its full name and labels, e.g. `parley_whatsapp_webhooks_total{outcome="malformed"}`; 0 when absent. */
export async function metricValue(backend: TestBackend, series: string): Promise<number> {
  const text = await (await backend.fetch('/metrics')).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

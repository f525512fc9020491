import type { TestBackend } from './backend-harness';

/** How many durations `/metrics` has recorded per stage of parley_stage_duration_seconds. */
export async function stageCounts(backend: TestBackend): Promise<Record<string, number>> {
  const text = await (await backend.fetch('/metrics')).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^parley_stage_duration_seconds_count\{stage="([a-z_]+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

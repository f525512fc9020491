import type { ParsedParamsOf, ResultOf } from '#protocol';
import type { RecentLogBuffer } from '../../platform/observability';
import { searchLogFiles } from './log-files';
import { fromRecentEntry, logMatcher } from './log-filter';

/** `diagnostics.logs`: the ring buffer or the rotated files, filtered here so the console gets only what it shows. */
export async function searchLogs(params: ParsedParamsOf<'diagnostics.logs'>, sources: { recent: RecentLogBuffer; dataDir: string }): Promise<ResultOf<'diagnostics.logs'>> {
  const matches = logMatcher(params);
  if (params.source === 'files') {
    const found = await searchLogFiles(sources.dataDir, matches, params.limit);
    return { entries: found.entries, components: [...found.components].sort(), scanned: found.scanned };
  }
  const all = sources.recent.latest(Number.MAX_SAFE_INTEGER).map(fromRecentEntry);
  return { entries: all.filter(matches).slice(-params.limit), components: [...new Set(all.map((entry) => entry.component))].sort(), scanned: all.length };
}

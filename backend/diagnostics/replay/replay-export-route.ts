import { ParleyError, REPLAY_EXPORT_PREFIX } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import { replayCsv, replayJson } from './replay-export';
import type { ReplayRepository } from './replay-repository';

const EXPORT_NAME = /^([\w-]{1,100})\.(csv|json)$/;

/** `GET /api/diagnostics/replays/<run id>.csv|.json` (control API, token): a run's results as a download. */
export function replayExportRoute(repository: ReplayRepository): HttpRoute {
  return {
    method: 'GET',
    path: REPLAY_EXPORT_PREFIX,
    exposure: 'control',
    async serve(_request, response, context) {
      const match = EXPORT_NAME.exec(context.url.pathname.slice(REPLAY_EXPORT_PREFIX.length));
      if (!match) throw new ParleyError('not_found', 'Ask for /api/diagnostics/replays/<run id>.csv or .json');
      const [, runId, format] = match as unknown as [string, string, 'csv' | 'json'];
      const run = await repository.get(runId);
      const results = await repository.results(runId);
      const body = format === 'csv' ? replayCsv(results) : replayJson(run, results);
      response.writeHead(200, {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="parley-replay-${runId}.${format}"`,
        'cache-control': 'no-store',
      });
      response.end(body);
    },
  };
}

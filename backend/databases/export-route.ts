import type { ServerResponse } from 'node:http';
import { databaseExportPath, databaseExportRequestSchema, ParleyError } from '#protocol';
import type { HttpRoute } from '../platform/http';
import type { DatabasesService } from './databases-service';

export const DATABASE_EXPORT_PATH = databaseExportPath;

/**
 * `POST /api/databases/export {connection, sql}` → the whole result as CSV, streamed: the same
 * guard and read-only path as databases.query, without the row cap, one batch in memory at a time
 * (the socket's backpressure pauses the database read).
 */
export function databaseExportRoute(service: DatabasesService): HttpRoute {
  return {
    method: 'POST',
    path: DATABASE_EXPORT_PATH,
    exposure: 'control',
    async serve(_request, response, context) {
      const parsed = databaseExportRequestSchema.safeParse(await context.readJsonBody());
      if (!parsed.success) throw new ParleyError('invalid_params', `Invalid export request: ${parsed.error.issues[0]?.message ?? 'wrong shape'}`);
      const { connection, sql } = parsed.data;
      let started = false;
      const write = async (chunk: string) => {
        if (!started) {
          started = true;
          response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${connection}-export.csv"`, 'cache-control': 'no-store' });
        }
        if (!response.write(chunk)) await drainedOrClosed(response);
      };
      try {
        await service.exportCsv(connection, sql, { channel: 'api', who: 'control-api', signal: context.signal, write });
        response.end();
      } catch (error) {
        // Before the first byte the error is a normal JSON answer; after it, the cut stream says it failed.
        if (!started) throw error;
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** Resolves when the socket takes more, or the client went away; leaves no listener behind. */
function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

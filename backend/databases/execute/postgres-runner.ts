import type { Knex } from 'knex';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { toJsonCell } from './cell-values';
import { disposeRawConnection } from './dispose-connection';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';
import { cancelRunningStatement } from './server-cancel';

export const QUERY_CANCELED = '57014';

/** The part of node-postgres' Client used here (pg ships no types; @types/pg is not installed). */
export interface PgClient {
  query(text: string): Promise<unknown>;
  query(config: { text: string; rowMode: 'array' }): Promise<{ rows: unknown[][]; fields: Array<{ name: string }> }>;
  query(config: { text: string; queryMode: 'extended' }): Promise<{ rowCount: number | null }>;
}

/**
 * PostgreSQL: a READ ONLY transaction (the server refuses any write, nextval, advisory lock...),
 * a statement_timeout local to it, and a cursor: only `maxRows + 1` rows ever leave the server,
 * so the first page of a million-row result costs one page. Always rolled back. A cancelled
 * request cancels the running statement on the server (pg_cancel_backend).
 */
export async function runPostgresReadOnly(knex: Knex, request: ReadOnlyRequest): Promise<RowsPage> {
  const { signal } = request;
  throwIfCancelled(signal);
  const client = (await knex.client.acquireConnection()) as PgClient;
  let broken = false;
  const stopCancelling = onAbort(signal, () => void cancelRunningStatement(knex, 'postgres', client).catch(() => (broken = true)));
  try {
    const work = (async () => {
      await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(request.timeoutMs))}`);
        throwIfCancelled(signal);
        await client.query(`DECLARE parley_read NO SCROLL CURSOR FOR ${request.sql}\n`);
        throwIfCancelled(signal);
        const result = await client.query({ text: `FETCH FORWARD ${request.maxRows + 1} FROM parley_read`, rowMode: 'array' });
        const rows = result.rows.map((row) => row.map(toJsonCell));
        const truncated = rows.length > request.maxRows;
        return { columns: result.fields.map((field) => field.name), rows: truncated ? rows.slice(0, request.maxRows) : rows, truncated };
      } finally {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
    })();
    return await withWatchdog(work, request.timeoutMs, () => {
      broken = true;
    });
  } catch (error) {
    if (signal?.aborted) throw queryCancelledError();
    if ((error as { code?: string }).code === QUERY_CANCELED) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    stopCancelling();
    if (broken) disposeRawConnection(client as never);
    await knex.client.releaseConnection(client);
  }
}

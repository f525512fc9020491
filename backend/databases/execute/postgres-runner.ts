import type { Knex } from 'knex';
import { throwIfCancelled } from './cancellation';
import { toJsonCell } from './cell-values';
import { queryTimeoutError } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';
import { onStatementConnection } from './statement-connection';

const QUERY_CANCELED = '57014';

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
  try {
    return await onStatementConnection<PgClient, RowsPage>(knex, 'postgres', request, async (client, markBroken) => {
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
        await client.query('ROLLBACK').catch(markBroken);
      }
    });
  } catch (error) {
    throw postgresTimeout(error, request.timeoutMs);
  }
}

/** statement_timeout ended the statement: our `timeout`; anything else as it came. */
export function postgresTimeout(error: unknown, timeoutMs: number): unknown {
  return (error as { code?: string }).code === QUERY_CANCELED ? queryTimeoutError(timeoutMs) : error;
}

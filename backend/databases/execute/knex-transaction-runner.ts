import type { Knex } from 'knex';
import type { DatabaseDialect } from '#protocol';
import { toJsonCell } from './cell-values';
import { queryTimeoutError } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';

/**
 * SQL Server and Oracle through knex: a transaction that is always rolled back (Oracle's
 * `SET TRANSACTION READ ONLY` makes the server refuse writes; SQL Server has no read-only
 * transaction, so there a read-only login — db_datareader — is the server-side layer, as the panel
 * says), knex's timeout that cancels the query, and the row cap applied to what came back.
 */
export async function runInRolledBackTransaction(knex: Knex, dialect: DatabaseDialect, request: ReadOnlyRequest): Promise<RowsPage> {
  const trx = await knex.transaction();
  try {
    if (dialect === 'oracle') await trx.raw('SET TRANSACTION READ ONLY');
    const result = (await trx.raw(request.sql).timeout(request.timeoutMs, { cancel: true })) as unknown;
    const objects = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<Record<string, unknown>>;
    const columns = objects[0] ? Object.keys(objects[0]) : [];
    const rows = objects.slice(0, request.maxRows).map((row) => columns.map((column) => toJsonCell(row[column])));
    return { columns, rows, truncated: objects.length > request.maxRows };
  } catch (error) {
    if ((error as Error).name === 'KnexTimeoutError') throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

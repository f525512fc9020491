import type { Knex } from 'knex';
import type { DatabaseDialect } from '#protocol';
import { inBoundedTransaction } from './bounded-transaction';
import { toJsonCell } from './cell-values';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';

/**
 * SQL Server and Oracle through knex: a transaction that is always rolled back (Oracle's
 * `SET TRANSACTION READ ONLY` makes the server refuse writes; SQL Server has no read-only
 * transaction, so there a read-only login — db_datareader — is the server-side layer, as the panel
 * says), a time limit and cancellation that stop the statement on the server, and the row cap
 * applied to what came back.
 */
export function runInRolledBackTransaction(knex: Knex, dialect: DatabaseDialect, request: ReadOnlyRequest): Promise<RowsPage> {
  return inBoundedTransaction(knex, dialect, request, 'rollback', async (trx) => {
    if (dialect === 'oracle') await trx.raw('SET TRANSACTION READ ONLY');
    const result = (await trx.raw(request.sql)) as unknown;
    const objects = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<Record<string, unknown>>;
    const columns = objects[0] ? Object.keys(objects[0]) : [];
    const rows = objects.slice(0, request.maxRows).map((row) => columns.map((column) => toJsonCell(row[column])));
    return { columns, rows, truncated: objects.length > request.maxRows };
  });
}

import type { Knex } from 'knex';
import type { DatabaseDialect } from '#protocol';
import { inBoundedTransaction } from './bounded-transaction';
import type { WriteOutcome, WriteRequest } from './write-request';

/** The part of a node-oracledb connection used here: execute reports `rowsAffected` (knex's raw does not). */
interface OracleConnection {
  execute(sql: string, binds: unknown[], options: { autoCommit: boolean }): Promise<{ rowsAffected?: number }>;
}

/**
 * One approved write on SQL Server or Oracle, in a knex transaction committed only when it
 * finished in time and was not cancelled. The affected rows: SQL Server's @@ROWCOUNT, asked right
 * after in the same session; Oracle's `rowsAffected` from the driver, the statement sent on the
 * transaction's connection without auto-commit.
 */
export function runWriteInTransaction(knex: Knex, dialect: DatabaseDialect, request: WriteRequest): Promise<WriteOutcome> {
  return inBoundedTransaction(knex, dialect, request, 'commit', async (trx, connection) => {
    if (dialect === 'oracle') {
      const result = await (connection as OracleConnection).execute(request.sql, [], { autoCommit: false });
      return { affectedRows: result.rowsAffected ?? null };
    }
    await trx.raw(request.sql);
    if (dialect !== 'mssql') return { affectedRows: null };
    const [row] = (await trx.raw('SELECT @@ROWCOUNT AS affected')) as Array<{ affected?: number }>;
    return { affectedRows: typeof row?.affected === 'number' ? row.affected : null };
  });
}

import type { Knex } from 'knex';
import type { DatabaseDialect } from '#protocol';

/**
 * Asks the server to stop the statement a pooled connection is running. Closing our socket is not
 * enough: PostgreSQL and MySQL keep running a query until it next writes to the client.
 * PostgreSQL: pg_cancel_backend(pid) and MySQL: KILL QUERY <thread id>, each from a fresh
 * connection (knex's cancelQuery); SQL Server: tedious' attention packet; Oracle: node-oracledb's break.
 */
export async function cancelRunningStatement(knex: Knex, dialect: DatabaseDialect, connection: unknown): Promise<void> {
  switch (dialect) {
    case 'postgres':
    case 'mysql':
      await (knex.client as { cancelQuery(connection: unknown): Promise<unknown> }).cancelQuery(connection);
      return;
    case 'mssql':
      (connection as { cancel?: () => unknown }).cancel?.();
      return;
    case 'oracle':
      await (connection as { break?: () => Promise<unknown> }).break?.();
      return;
    case 'sqlite':
      // SQLite runs in a child process of ours: stopping it is killing that process (sqlite-reader.ts).
      return;
  }
}

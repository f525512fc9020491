import type { Knex } from 'knex';
import type { Connection, FieldPacket } from 'mysql2';
import { ParleyError } from '#protocol';
import { throwIfCancelled } from './cancellation';
import { toJsonCell } from './cell-values';
import { MYSQL_TIMEOUT_ERRNOS, setStatementTimeout, simpleQuery } from './mysql-session';
import { queryTimeoutError } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';
import { onStatementConnection } from './statement-connection';

/**
 * MySQL and MariaDB: START TRANSACTION READ ONLY (the server refuses writes to tables), the
 * server's statement time limit, and rows streamed off the socket: once `maxRows + 1` arrived
 * the connection is cut (and dropped from the pool) instead of reading the rest. Rolled back.
 * A cancelled request ends the statement on the server (KILL QUERY).
 */
export async function runMysqlReadOnly(knex: Knex, request: ReadOnlyRequest): Promise<RowsPage> {
  const { signal } = request;
  try {
    return await onStatementConnection<Connection, RowsPage>(knex, 'mysql', request, async (connection, markBroken) => {
      await setStatementTimeout(connection, request.timeoutMs);
      await simpleQuery(connection, 'START TRANSACTION READ ONLY');
      let cut = false;
      try {
        throwIfCancelled(signal);
        const page = await streamRows(connection, request);
        cut = page.cut;
        // A killed SLEEP() answers its row as if nothing happened: the signal says what did.
        throwIfCancelled(signal);
        return page.rows;
      } finally {
        // A cut-off stream leaves unread rows on the socket: that connection is closed, not rolled back.
        if (cut) markBroken();
        else await simpleQuery(connection, 'ROLLBACK').catch(markBroken);
      }
    });
  } catch (error) {
    throw mysqlTimeout(error, request.timeoutMs);
  }
}

/** The server's statement time limit ended the statement: our `timeout`; anything else as it came. */
export function mysqlTimeout(error: unknown, timeoutMs: number): unknown {
  return MYSQL_TIMEOUT_ERRNOS.has((error as { errno?: number }).errno ?? 0) ? queryTimeoutError(timeoutMs) : error;
}

function streamRows(connection: Connection, request: ReadOnlyRequest): Promise<{ rows: RowsPage; cut: boolean }> {
  return new Promise((resolve, reject) => {
    let columns: string[] = [];
    const rows: unknown[][] = [];
    let settled = false;
    let resultSets = 0;
    const query = connection.query({ sql: request.sql, rowsAsArray: true });
    query.on('fields', (fields: FieldPacket[]) => {
      resultSets++;
      columns = fields.map((field) => field.name);
    });
    query.on('result', (row: unknown) => {
      if (settled) return;
      if (!Array.isArray(row)) return; // an OK packet: not a row-returning statement
      if (rows.length === request.maxRows) {
        settled = true;
        resolve({ rows: { columns, rows, truncated: true }, cut: true });
        return;
      }
      rows.push(row.map(toJsonCell));
    });
    query.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    query.on('end', () => {
      if (settled) return;
      settled = true;
      if (resultSets !== 1) reject(new ParleyError('forbidden', 'Refused: the statement did not return exactly one result set.'));
      else resolve({ rows: { columns, rows, truncated: false }, cut: false });
    });
  });
}

import type { Knex } from 'knex';
import type { Connection, FieldPacket } from 'mysql2';
import { ParleyError } from '#protocol';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { toJsonCell } from './cell-values';
import { disposeRawConnection } from './dispose-connection';
import { MYSQL_TIMEOUT_ERRNOS, setStatementTimeout, simpleQuery } from './mysql-session';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';
import { cancelRunningStatement } from './server-cancel';

/**
 * MySQL and MariaDB: START TRANSACTION READ ONLY (the server refuses writes to tables), the
 * server's statement time limit, and rows streamed off the socket: once `maxRows + 1` arrived
 * the connection is cut (and dropped from the pool) instead of reading the rest. Rolled back.
 * A cancelled request ends the statement on the server (KILL QUERY).
 */
export async function runMysqlReadOnly(knex: Knex, request: ReadOnlyRequest): Promise<RowsPage> {
  const { signal } = request;
  throwIfCancelled(signal);
  const connection = (await knex.client.acquireConnection()) as Connection;
  let broken = false;
  const stopCancelling = onAbort(signal, () => void cancelRunningStatement(knex, 'mysql', connection).catch(() => (broken = true)));
  try {
    const work = (async () => {
      await setStatementTimeout(connection, request.timeoutMs);
      await simpleQuery(connection, 'START TRANSACTION READ ONLY');
      try {
        throwIfCancelled(signal);
        const page = await streamRows(connection, request);
        if (page.cut) broken = true;
        // A killed SLEEP() answers its row as if nothing happened: the signal says what did.
        throwIfCancelled(signal);
        return page.rows;
      } finally {
        if (!broken) await simpleQuery(connection, 'ROLLBACK').catch(() => (broken = true));
      }
    })();
    return await withWatchdog(work, request.timeoutMs, () => (broken = true));
  } catch (error) {
    if (signal?.aborted) throw queryCancelledError();
    if (MYSQL_TIMEOUT_ERRNOS.has((error as { errno?: number }).errno ?? 0)) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    stopCancelling();
    if (broken) disposeRawConnection(connection);
    await knex.client.releaseConnection(connection);
  }
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

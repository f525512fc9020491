import type { Knex } from 'knex';
import type { Connection, FieldPacket } from 'mysql2';
import { ParleyError } from '#protocol';
import { toJsonCell } from './cell-values';
import { disposeRawConnection } from './dispose-connection';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';

/** MariaDB's max_statement_time ended the query (ER_STATEMENT_TIMEOUT), or MySQL's max_execution_time did. */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

const flavourOf = new WeakMap<Connection, 'mariadb' | 'mysql'>();

/**
 * MySQL and MariaDB: START TRANSACTION READ ONLY (the server refuses writes to tables), the
 * server's statement time limit, and rows streamed off the socket: once `maxRows + 1` arrived
 * the connection is cut (and dropped from the pool) instead of reading the rest. Rolled back.
 */
export async function runMysqlReadOnly(knex: Knex, request: ReadOnlyRequest): Promise<RowsPage> {
  const connection = (await knex.client.acquireConnection()) as Connection;
  let broken = false;
  try {
    const work = (async () => {
      await setStatementTimeout(connection, request.timeoutMs);
      await simpleQuery(connection, 'START TRANSACTION READ ONLY');
      try {
        const page = await streamRows(connection, request);
        if (page.cut) broken = true;
        return page.rows;
      } finally {
        if (!broken) await simpleQuery(connection, 'ROLLBACK').catch(() => (broken = true));
      }
    })();
    return await withWatchdog(work, request.timeoutMs, () => (broken = true));
  } catch (error) {
    if (TIMEOUT_ERRNOS.has((error as { errno?: number }).errno ?? 0)) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    if (broken) disposeRawConnection(connection);
    await knex.client.releaseConnection(connection);
  }
}

async function setStatementTimeout(connection: Connection, timeoutMs: number): Promise<void> {
  let flavour = flavourOf.get(connection);
  if (!flavour) {
    const rows = (await simpleQuery(connection, 'SELECT VERSION() AS v')) as Array<{ v: string }>;
    flavour = /mariadb/i.test(rows[0]?.v ?? '') ? 'mariadb' : 'mysql';
    flavourOf.set(connection, flavour);
  }
  if (flavour === 'mariadb') await simpleQuery(connection, `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`);
  else await simpleQuery(connection, `SET SESSION max_execution_time = ${Math.ceil(timeoutMs)}`);
}

function simpleQuery(connection: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
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

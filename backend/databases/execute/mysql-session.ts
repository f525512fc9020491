import type { Connection } from 'mysql2';

/** MariaDB's max_statement_time ended the query (ER_STATEMENT_TIMEOUT), or MySQL's max_execution_time did. */
export const MYSQL_TIMEOUT_ERRNOS = new Set([1969, 3024]);

const flavourOf = new WeakMap<Connection, 'mariadb' | 'mysql'>();

/**
 * The server's own statement time limit for this session: MariaDB's max_statement_time covers
 * every statement, MySQL's max_execution_time only SELECTs (writes there rely on KILL QUERY).
 */
export async function setStatementTimeout(connection: Connection, timeoutMs: number): Promise<void> {
  let flavour = flavourOf.get(connection);
  if (!flavour) {
    const rows = (await simpleQuery(connection, 'SELECT VERSION() AS v')) as Array<{ v: string }>;
    flavour = /mariadb/i.test(rows[0]?.v ?? '') ? 'mariadb' : 'mysql';
    flavourOf.set(connection, flavour);
  }
  if (flavour === 'mariadb') await simpleQuery(connection, `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`);
  else await simpleQuery(connection, `SET SESSION max_execution_time = ${Math.ceil(timeoutMs)}`);
}

export function simpleQuery(connection: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows)));
  });
}

import type { Knex } from 'knex';
import type { ConnectionSettings, DatabaseDialect } from '#protocol';

const KNEX_CLIENT: Record<DatabaseDialect, string> = {
  sqlite: 'better-sqlite3',
  postgres: 'pg',
  mysql: 'mysql2',
  mssql: 'mssql',
  oracle: 'oracledb',
};

export const DEFAULT_PORT: Record<DatabaseDialect, number | undefined> = {
  sqlite: undefined,
  postgres: 5432,
  mysql: 3306,
  mssql: 1433,
  oracle: 1521,
};

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The knex configuration of an operator's database. Small pools (the agent asks one question at a
 * time) that start empty: a connection is opened on first use, not when the backend starts.
 * SQLite is opened read-only: the file itself refuses writes, whatever the SQL says.
 */
export function knexConfigFor(settings: ConnectionSettings, password: string | undefined): Knex.Config {
  const client = KNEX_CLIENT[settings.dialect];
  const pool = { min: 0, max: settings.dialect === 'sqlite' ? 1 : 4, idleTimeoutMillis: 30_000, acquireTimeoutMillis: CONNECT_TIMEOUT_MS };
  const ssl = settings.ssl?.enabled ? { rejectUnauthorized: settings.ssl.rejectUnauthorized } : undefined;
  const port = settings.port ?? DEFAULT_PORT[settings.dialect];
  switch (settings.dialect) {
    case 'sqlite':
      return { client, connection: { filename: settings.filename ?? '', options: { readonly: true } }, useNullAsDefault: true, pool };
    case 'postgres':
      return {
        client,
        connection: { host: settings.host ?? '127.0.0.1', port, database: settings.database, user: settings.user, password, ssl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'parley' },
        pool,
      };
    case 'mysql':
      return {
        client,
        connection: { host: settings.host ?? '127.0.0.1', port, database: settings.database, user: settings.user, password, ssl, connectTimeout: CONNECT_TIMEOUT_MS, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true },
        pool,
      };
    case 'mssql':
      return {
        client,
        connection: {
          server: settings.host ?? '127.0.0.1',
          port,
          database: settings.database,
          user: settings.user,
          password,
          options: { encrypt: Boolean(ssl), trustServerCertificate: ssl ? !ssl.rejectUnauthorized : true, connectTimeout: CONNECT_TIMEOUT_MS },
        } as Knex.MsSqlConnectionConfig,
        pool,
      };
    case 'oracle':
      // Thin mode (the default of node-oracledb 6): pure JavaScript, no Instant Client.
      return { client, connection: { user: settings.user, password, connectString: `${settings.host ?? '127.0.0.1'}:${port}/${settings.database ?? ''}` }, pool };
  }
}

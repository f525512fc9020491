import knexFactory from 'knex';
import type { ConnectionSettings } from '#protocol';
import { sqliteOpenError } from '../execute/sqlite-reader';
import { diagnoseConnectionError } from './diagnose-connection-error';
import { knexConfigFor } from './knex-config';

const VERSION_QUERY: Record<ConnectionSettings['dialect'], string> = {
  sqlite: 'SELECT sqlite_version() AS version',
  postgres: 'SELECT version() AS version',
  mysql: 'SELECT VERSION() AS version',
  mssql: 'SELECT @@VERSION AS version',
  oracle: "SELECT banner AS \"version\" FROM v$version WHERE ROWNUM = 1",
};

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  hint?: string;
  serverVersion?: string;
  ms: number;
}

/** Opens one connection with these settings (its own short-lived pool), asks the server's version, closes it. */
export async function testConnection(settings: ConnectionSettings, password: string | undefined): Promise<ConnectionTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const knex = knexFactory({ ...knexConfigFor(settings, password), pool: { min: 0, max: 1, acquireTimeoutMillis: 10_000 }, log: { warn() {}, error() {}, deprecate() {}, debug() {} } });
  try {
    const result = (await knex.raw(VERSION_QUERY[settings.dialect])) as unknown;
    const version = firstVersion(result);
    const name = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL', mssql: 'SQL Server', oracle: 'Oracle' }[settings.dialect];
    const short = version?.split('\n')[0]?.slice(0, 120);
    return { ok: true, message: `Connected to ${name}${short ? ` (${short})` : ''} in ${elapsed()} ms`, serverVersion: short, ms: elapsed() };
  } catch (error) {
    const diagnosis = settings.dialect === 'sqlite' && /unable to open|does not exist/i.test(String((error as Error).message)) ? sqliteOpenError(settings.filename ?? '', error as Error) : diagnoseConnectionError(error, settings);
    return { ok: false, message: diagnosis.message, hint: diagnosis.hint, ms: elapsed() };
  } finally {
    await knex.destroy().catch(() => undefined);
  }
}

function firstVersion(result: unknown): string | undefined {
  const rows = Array.isArray(result) ? (Array.isArray(result[0]) ? (result[0] as unknown[]) : result) : ((result as { rows?: unknown[] }).rows ?? []);
  const row = rows[0] as Record<string, unknown> | undefined;
  const value = row ? Object.values(row)[0] : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

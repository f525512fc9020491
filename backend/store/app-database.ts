import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { migrationSource, type StoreMigration } from './migrations';

export const APP_DATABASE_FILE = 'parley.sqlite3';

export interface AppDatabase {
  knex: Knex;
  /** Names of the migrations applied, oldest first. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

/**
 * Opens the app store in `dataDir`, with WAL (readers never block the writer) and foreign keys,
 * and applies every pending migration before anyone can read or write.
 */
export async function openAppDatabase(dataDir: string, migrations: readonly StoreMigration[]): Promise<AppDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dataDir, APP_DATABASE_FILE) },
    useNullAsDefault: true,
    // SQLite has one writer; a single connection avoids SQLITE_BUSY between our own connections.
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: BetterSqlite3.Database, done: (error: Error | null, connection: unknown) => void) {
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma('busy_timeout = 5000');
        done(null, connection);
      },
    },
  });
  try {
    await knex.migrate.latest({ migrationSource: migrationSource(migrations) });
    const [applied] = (await knex.migrate.list({ migrationSource: migrationSource(migrations) })) as [
      Array<{ name: string }>,
      unknown,
    ];
    return {
      knex,
      appliedMigrations: applied.map((row) => row.name),
      close: () => knex.destroy(),
    };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}

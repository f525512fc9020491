import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { migrationSource, type StoreMigration } from './migrations';
import { cachePreparedStatements } from './statement-cache';

export const APP_DATABASE_FILE = 'parley.sqlite3';

export interface AppDatabase {
  knex: Knex;
  /** Names of the migrations applied, oldest first. */
  appliedMigrations: string[];
  /** Applies what is pending of `migrations` (the full list, core first); returns the applied names. */
  migrate(migrations: readonly StoreMigration[]): Promise<string[]>;
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
    // One connection for the app: no SQLITE_BUSY among its own queries. (The public listener's
    // thread has one more, to spool webhook deliveries.)
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: BetterSqlite3.Database, done: (error: Error | null, connection: unknown) => void) {
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma('busy_timeout = 5000');
        // WAL with NORMAL: a commit is durable across a crash of the process (what a restart
        // recovers from) without an fsync each; FULL made every write block the event loop for a
        // millisecond, far longer on a busy disk. What must survive a power cut before it is
        // answered (a webhook delivery) is synced by the thread that writes it.
        connection.pragma('synchronous = NORMAL');
        connection.pragma('mmap_size = 268435456');
        takeWriteLockAtBegin(connection);
        cachePreparedStatements(connection);
        done(null, connection);
      },
    },
  });
  const migrate = async (all: readonly StoreMigration[], options: { partial: boolean }) => {
    // A partial list (the store's own, before the capabilities are built) must tolerate the
    // capabilities' migrations already applied; the full list must not (that is a downgrade).
    const config = { migrationSource: migrationSource(all), disableMigrationsListValidation: options.partial };
    await knex.migrate.latest(config);
    const [applied] = (await knex.migrate.list(config)) as [Array<{ name: string }>, unknown];
    return applied.map((row) => row.name);
  };
  try {
    return {
      knex,
      appliedMigrations: await migrate(migrations, { partial: true }),
      migrate: (all) => migrate(all, { partial: false }),
      close: () => knex.destroy(),
    };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}

/**
 * Knex opens transactions with a plain BEGIN, which takes the write lock only at the first write.
 * With a second connection writing (the spool), a transaction that read first and writes second
 * would then fail at once with SQLITE_BUSY (its snapshot is stale; waiting cannot help). BEGIN
 * IMMEDIATE takes the lock up front and waits for it within busy_timeout instead.
 */
function takeWriteLockAtBegin(connection: BetterSqlite3.Database): void {
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => prepare(sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql)) as BetterSqlite3.Database['prepare'];
}

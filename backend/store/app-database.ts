import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { migrationSource, type StoreMigration } from './migrations';
import { cachePreparedStatements } from './statement-cache';
import { SqliteUrgentWrites, WalFileSync, type UrgentWrites } from './urgent-writes';

export const APP_DATABASE_FILE = 'parley.sqlite3';

export interface AppDatabase {
  knex: Knex;
  /** Short writes that go ahead of the pool's queue and are synced to disk (a webhook's record before its 200). */
  urgent: UrgentWrites;
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
  /** The pool's one connection, for the urgent writes (the pool re-creates it if it ever drops it). */
  let current: BetterSqlite3.Database | undefined;
  const filename = join(dataDir, APP_DATABASE_FILE);
  const walSync = new WalFileSync(`${filename}-wal`);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // SQLite has one writer; a single connection avoids SQLITE_BUSY between our own connections.
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: BetterSqlite3.Database, done: (error: Error | null, connection: unknown) => void) {
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma('busy_timeout = 5000');
        // WAL with NORMAL: a commit is durable across a crash of the process (what a restart
        // recovers from) without an fsync each; FULL made every write block the event loop for a
        // millisecond, far longer on a busy disk. Writes that must survive a power cut go through
        // `urgent`, which syncs the WAL off the event loop.
        connection.pragma('synchronous = NORMAL');
        cachePreparedStatements(connection);
        current = connection;
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
      urgent: new SqliteUrgentWrites(() => current, () => walSync.sync()),
      appliedMigrations: await migrate(migrations, { partial: true }),
      migrate: (all) => migrate(all, { partial: false }),
      close: async () => {
        walSync.close();
        await knex.destroy();
      },
    };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}

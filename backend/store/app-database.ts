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
  /** The pool's one connection once it exists (the pool re-creates it if it ever drops it). */
  let current: BetterSqlite3.Database | undefined;
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
        // Checkpoints (copying the WAL into the database file, with two fsyncs) would run here, on the
        // event loop, every 1000 pages; the public listener's thread runs them instead, and this is
        // the backstop for when it does not run (tests of the store alone, a listener that failed).
        connection.pragma('wal_autocheckpoint = 10000');
        takeWriteLockAtBegin(connection);
        cachePreparedStatements(connection);
        current = connection;
        done(null, connection);
      },
    },
  });
  runStatementsAtOnce(knex, () => current);
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

/** What of knex's client the direct path touches (not in its public types). */
interface KnexClientInternals {
  runner(this: KnexClientInternals, builder: unknown): { run(): Promise<unknown> };
  processResponse(response: unknown, runner: unknown): unknown;
}

interface CompiledStatement {
  sql: string;
  bindings: readonly unknown[];
  method: string;
  returning?: unknown;
  pluck?: string;
  timeout?: number;
  toNative(): { sql: string; bindings: readonly unknown[] };
}

const DIRECT_METHODS = new Set(['select', 'first', 'pluck', 'insert', 'update', 'del', 'counter']);

/**
 * A query builder awaited outside a transaction runs at once on the connection, the way knex's
 * better-sqlite3 client would run it, without the pool's queue, the runner's promise chain and its
 * events: knex spent several times SQLite's own time around each of the WhatsApp bridge's small
 * statements. better-sqlite3 is synchronous, so nothing interleaves with the statement; while a
 * knex transaction is open on the connection, a statement waits for it through knex's own path.
 * Builders are still knex's (the SQL is its), and a transaction's statements are its own.
 */
function runStatementsAtOnce(knex: Knex, connection: () => BetterSqlite3.Database | undefined): void {
  const client = knex.client as KnexClientInternals;
  const makeRunner = client.runner;
  client.runner = function directRunner(this: KnexClientInternals, builder: unknown) {
    const runner = makeRunner.call(this, builder);
    // A transaction's client inherits this method: its statements go its own way.
    if (this !== client) return runner;
    const knexRun = runner.run.bind(runner);
    runner.run = async () => {
      const db = connection();
      const compiled = db && !db.inTransaction ? directStatement(builder) : undefined;
      if (!db || !compiled) return knexRun();
      const { sql, bindings } = compiled.toNative();
      const statement = db.prepare(sql);
      const values = bindings.map(sqliteBinding);
      const query: Record<string, unknown> = { method: compiled.method, returning: compiled.returning, pluck: compiled.pluck };
      if (statement.reader) query.response = statement.all(...values);
      else {
        const result = statement.run(...values);
        query.response = result;
        query.context = { lastID: result.lastInsertRowid, changes: result.changes };
      }
      return client.processResponse(query, runner);
    };
    return runner;
  };
}

/** The one statement a plain query builder compiles to, or undefined for what knex must run itself (raw SQL, schema changes, several statements, timeouts, streams). */
function directStatement(builder: unknown): CompiledStatement | undefined {
  const candidate = builder as { _method?: string; _timeout?: number; toSQL?: () => CompiledStatement | CompiledStatement[] };
  if (!candidate._method || !DIRECT_METHODS.has(candidate._method) || candidate._timeout || typeof candidate.toSQL !== 'function') return undefined;
  const compiled = candidate.toSQL();
  return Array.isArray(compiled) || !compiled.sql ? undefined : compiled;
}

/** As knex's better-sqlite3 client binds values: dates as epoch ms, booleans as 0/1. */
function sqliteBinding(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';

/** What a statement did: the rows its RETURNING clause (or a SELECT) gave, and how many rows it changed (with RETURNING: returned). */
export interface UrgentResult {
  rows: unknown[];
  changes: number;
}

/**
 * Short writes someone outside waits on (a webhook's 200 goes out only once its record is on disk).
 * They must not queue behind the app's other work on the store, and they must survive a power cut,
 * not only a crash of the process. Statements are built with knex's builder; how they get ahead of
 * the queue is the engine's business (SQLite below; a PostgreSQL store runs them on its pool).
 */
export interface UrgentWrites {
  /** Runs the statement in a transaction synced to disk before this resolves; rejects with the statement's own error. */
  run(query: Knex.QueryBuilder): Promise<UrgentResult>;
}

interface Pending {
  sql: string;
  bindings: readonly unknown[];
  resolve(result: UrgentResult): void;
  reject(error: unknown): void;
}

/** After this many immediate retries while a transaction is open, wait a millisecond between looks. */
const SPIN_LOOKS = 50;

/**
 * The app store has one SQLite connection behind a knex pool of one: every query waits its turn in
 * the pool's queue, so under load a webhook's insert waited behind dozens of turn queries. Here the
 * statements issued together run together, right away, on that same connection: better-sqlite3 is
 * synchronous, so between two of the pool's statements the connection is idle, and nothing can
 * interleave with a group that runs without awaiting. Only an open transaction (a knex transaction
 * awaits between its statements) must be waited out, or the group would join it.
 *
 * The store runs with `synchronous = NORMAL`: a commit reaches the OS, which keeps it across a crash
 * of the process, but not yet the disk. FULL synced on every commit of the app, each blocking the
 * event loop; here a write resolves once the WAL was synced after its commit (`syncWal`), and one
 * sync serves every urgent write of a turn of the event loop.
 */
export class SqliteUrgentWrites implements UrgentWrites {
  private pending: Pending[] = [];
  private scheduled = false;
  private looks = 0;

  constructor(
    /** The pool's current connection, undefined until the pool created it. */
    private readonly connection: () => BetterSqlite3.Database | undefined,
    /** Syncs what was committed so far to disk, off the event loop. */
    private readonly syncWal: () => Promise<void>,
  ) {}

  async run(query: Knex.QueryBuilder): Promise<UrgentResult> {
    const compiled = query.toSQL() as Knex.Sql | Knex.Sql[];
    // Knex compiles a few builder calls to several statements; those are not short writes.
    if (Array.isArray(compiled)) throw new Error(`An urgent write is one statement; this query compiles to ${compiled.length}`);
    const { sql, bindings } = compiled.toNative();
    const result = await new Promise<UrgentResult>((resolve, reject) => {
      this.pending.push({ sql, bindings: bindings.map(sqliteBinding), resolve, reject });
      this.schedule(false);
    });
    await this.syncWal();
    return result;
  }

  private schedule(wait: boolean): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.flush();
    };
    // A microtask, not setImmediate: the pool works its queue through a chain of promises, so a
    // macrotask would only run once the whole backlog had. Statements issued together still group.
    if (wait) setTimeout(flush, 1);
    else if (this.looks > 0) setImmediate(flush);
    else queueMicrotask(flush);
  }

  private flush(): void {
    const connection = this.connection();
    if (!connection || connection.inTransaction) {
      // A knex transaction is open between two of its statements: it finishes within a few turns.
      this.looks += 1;
      this.schedule(this.looks > SPIN_LOOKS);
      return;
    }
    this.looks = 0;
    const group = this.pending;
    this.pending = [];
    if (!group.length) return;
    const outcomes: Array<{ ok: true; result: UrgentResult } | { ok: false; error: unknown }> = [];
    try {
      connection.exec('BEGIN IMMEDIATE');
      try {
        for (const entry of group) outcomes.push(this.runOne(connection, entry));
        connection.exec('COMMIT');
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      // BEGIN or COMMIT failed (the disk, or another process holding the lock past busy_timeout): nothing was written.
      for (const entry of group) entry.reject(error);
      return;
    }
    group.forEach((entry, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) entry.resolve(outcome.result);
      else entry.reject(outcome.error);
    });
  }

  /** One statement in its own savepoint: its failure (a constraint) is its caller's alone, the group still commits. */
  private runOne(connection: BetterSqlite3.Database, entry: Pending): { ok: true; result: UrgentResult } | { ok: false; error: unknown } {
    connection.exec('SAVEPOINT urgent');
    try {
      // The connection keeps its prepared statements (statement-cache.ts): one per webhook repeats.
      const statement = connection.prepare(entry.sql);
      let result: UrgentResult;
      if (statement.reader) {
        const rows = statement.all(...entry.bindings);
        result = { rows, changes: rows.length };
      } else {
        result = { rows: [], changes: statement.run(...entry.bindings).changes };
      }
      connection.exec('RELEASE urgent');
      return { ok: true, result };
    } catch (error) {
      connection.exec('ROLLBACK TO urgent');
      connection.exec('RELEASE urgent');
      return { ok: false, error };
    }
  }
}

/** As knex's better-sqlite3 client binds values: dates as epoch ms, booleans as 0/1. */
function sqliteBinding(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

/**
 * fdatasync of the store's WAL file. A committed transaction's frames are in the WAL until a
 * checkpoint copies them into the database file (which SQLite syncs itself), so syncing the WAL
 * makes every commit before the sync durable. One sync per turn of the event loop, at its end
 * (setImmediate): every urgent write committed during the turn shares it. Synchronous on purpose: a
 * sync in the thread pool needs one more turn of the loop to report back, and a loop busy with a
 * hundred turns of the agent makes that turn long; the sync itself takes a few milliseconds.
 */
export class WalFileSync {
  private fd: number | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Settles after a sync that started after the call (so after the caller's commit). */
  sync(): Promise<void> {
    this.next ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.next = undefined;
        try {
          this.fd ??= openSync(this.walPath, 'r+');
          fdatasyncSync(this.fd);
          resolve();
        } catch (error) {
          // Opened too early, or the file was replaced: open it again next time.
          this.close();
          reject(error);
        }
      });
    });
    return this.next;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}

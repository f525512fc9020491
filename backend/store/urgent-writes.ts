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
 * statements of one event-loop turn run together, right away, on that same connection: better-sqlite3
 * is synchronous, so between two of the pool's statements the connection is idle, and nothing can
 * interleave with a group that runs without awaiting. Only an open transaction (a knex transaction
 * awaits between its statements) must be waited out, or the group would join it.
 *
 * The store runs with `synchronous = NORMAL` (WAL: durable across a crash of the process, not of
 * the machine); a group commits with FULL, which syncs the WAL up to and including it.
 */
export class SqliteUrgentWrites implements UrgentWrites {
  private pending: Pending[] = [];
  private scheduled = false;
  private looks = 0;
  /** Prepared once per SQL text: these statements repeat (one per webhook), and preparing costs more than running. */
  private readonly statements = new Map<string, { connection: BetterSqlite3.Database; statement: BetterSqlite3.Statement }>();

  /** `connection()`: the pool's current connection, undefined until the pool created it. */
  constructor(private readonly connection: () => BetterSqlite3.Database | undefined) {}

  run(query: Knex.QueryBuilder): Promise<UrgentResult> {
    const compiled = query.toSQL() as Knex.Sql | Knex.Sql[];
    // Knex compiles a few builder calls to several statements; those are not short writes.
    if (Array.isArray(compiled)) return Promise.reject(new Error(`An urgent write is one statement; this query compiles to ${compiled.length}`));
    const { sql, bindings } = compiled.toNative();
    return new Promise<UrgentResult>((resolve, reject) => {
      this.pending.push({ sql, bindings: bindings.map(sqliteBinding), resolve, reject });
      this.schedule(false);
    });
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
      connection.pragma('synchronous = FULL');
      connection.exec('BEGIN IMMEDIATE');
      try {
        for (const entry of group) outcomes.push(this.runOne(connection, entry));
        connection.exec('COMMIT');
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      } finally {
        connection.pragma('synchronous = NORMAL');
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
      const statement = this.prepare(connection, entry.sql);
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

  private prepare(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
    const cached = this.statements.get(sql);
    if (cached?.connection === connection) return cached.statement;
    const statement = connection.prepare(sql);
    if (this.statements.size > 100) this.statements.clear();
    this.statements.set(sql, { connection, statement });
    return statement;
  }
}

/** As knex's better-sqlite3 client binds values: dates as epoch ms, booleans as 0/1. */
function sqliteBinding(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

import knexFactory, { type Knex } from 'knex';
import type { ConnectionSettings } from '#protocol';
import type { Logger } from '../../platform/observability';
import { runInRolledBackTransaction } from '../execute/knex-transaction-runner';
import { runWriteInTransaction } from '../execute/knex-transaction-writer';
import { runMysqlReadOnly } from '../execute/mysql-runner';
import { runMysqlWrite } from '../execute/mysql-writer';
import { runPostgresReadOnly } from '../execute/postgres-runner';
import { runPostgresWrite } from '../execute/postgres-writer';
import type { ReadOnlyRequest, RowsPage } from '../execute/read-only-runner';
import { streamMysqlReadOnly, streamPostgresReadOnly, type BatchSink, type StreamRequest } from '../execute/row-stream';
import { SqliteReader } from '../execute/sqlite-reader';
import { runSqliteWrite } from '../execute/sqlite-writer';
import type { WriteOutcome, WriteRequest } from '../execute/write-request';
import { knexConfigFor } from './knex-config';

/**
 * One operator database as the backend holds it: nothing is opened until the first query or
 * introspection, and everything is closed again after `idleMs` without use, so a connection the
 * operator added but does not use holds no socket, no pool and no process.
 */
export class OpenDatabase {
  private knexInstance: Knex | undefined;
  private sqliteReader: SqliteReader | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private busy = 0;

  constructor(
    readonly settings: ConnectionSettings,
    private readonly password: () => Promise<string | undefined>,
    private readonly logger: Logger,
    private readonly idleMs: number,
  ) {}

  get isOpen(): boolean {
    return this.knexInstance !== undefined || (this.sqliteReader?.open ?? false);
  }

  /** Runs a statement that already passed the guard, through the dialect's read-only path. */
  run(request: ReadOnlyRequest): Promise<RowsPage> {
    return this.use(async () => {
      switch (this.settings.dialect) {
        case 'sqlite':
          this.sqliteReader ??= new SqliteReader(this.settings.filename ?? '');
          return this.sqliteReader.run(request);
        case 'postgres':
          return runPostgresReadOnly(await this.knex(), request);
        case 'mysql':
          return runMysqlReadOnly(await this.knex(), request);
        case 'mssql':
        case 'oracle':
          return runInRolledBackTransaction(await this.knex(), this.settings.dialect, request);
      }
    });
  }

  /** Runs one write that passed the write guard and the operator's approval, in its own transaction. */
  write(request: WriteRequest): Promise<WriteOutcome> {
    return this.use(async () => {
      switch (this.settings.dialect) {
        case 'sqlite':
          return runSqliteWrite(this.settings.filename ?? '', request);
        case 'postgres':
          return runPostgresWrite(await this.knex(), request);
        case 'mysql':
          return runMysqlWrite(await this.knex(), request);
        case 'mssql':
        case 'oracle':
          return runWriteInTransaction(await this.knex(), this.settings.dialect, request);
      }
    });
  }

  /**
   * Every row, batch by batch (exports). PostgreSQL and MySQL stream from the server; the others
   * return at most `fallbackMaxRows` through the capped path. Returns the row count and whether it was capped.
   */
  stream(request: StreamRequest, onBatch: BatchSink, signal: AbortSignal, fallbackMaxRows: number): Promise<{ rows: number; truncated: boolean }> {
    return this.use(async () => {
      if (this.settings.dialect === 'postgres') return { rows: await streamPostgresReadOnly(await this.knex(), request, onBatch, signal), truncated: false };
      if (this.settings.dialect === 'mysql') return { rows: await streamMysqlReadOnly(await this.knex(), request, onBatch, signal), truncated: false };
      const page = await this.run({ sql: request.sql, maxRows: fallbackMaxRows, timeoutMs: request.timeoutMs, signal });
      for (let start = 0; start === 0 || start < page.rows.length; start += request.batchRows) await onBatch(page.columns, page.rows.slice(start, start + request.batchRows));
      return { rows: page.rows.length, truncated: page.truncated };
    });
  }

  /** The pool for our own queries (introspection, tests of the connection). */
  withKnex<T>(work: (knex: Knex) => Promise<T>): Promise<T> {
    return this.use(async () => work(await this.knex()));
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.sqliteReader?.close();
    this.sqliteReader = undefined;
    const knex = this.knexInstance;
    this.knexInstance = undefined;
    await knex?.destroy();
  }

  private async use<T>(work: () => Promise<T>): Promise<T> {
    clearTimeout(this.idleTimer);
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
      if (this.busy === 0) {
        this.idleTimer = setTimeout(() => {
          if (this.busy === 0) void this.close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing an idle database pool failed'));
        }, this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  private async knex(): Promise<Knex> {
    if (!this.knexInstance) {
      const config = knexConfigFor(this.settings, await this.password());
      this.knexInstance ??= knexFactory({
        ...config,
        // knex writes to the console by default; its warnings (a dropped connection) belong in our log.
        log: {
          warn: (message: unknown) => this.logger.debug({ knex: String(message) }, 'knex warning'),
          error: (message: unknown) => this.logger.warn({ knex: String(message) }, 'knex error'),
          deprecate: () => undefined,
          debug: () => undefined,
        },
      });
    }
    return this.knexInstance;
  }
}

import { ParleyError, type Channel, type ConnectionSettings, type DatabaseConnection, type DatabaseSchema, type QueryHistoryEntry, type QueryResult } from '#protocol';
import type { Disposable } from '../base';
import type { ConfirmationCenter } from '../platform/confirmations';
import type { PublishEvent } from '../platform/events';
import type { Logger } from '../platform/observability';
import type { SettingsRepository } from '../store';
import { type ConnectionRepository } from './connections/connection-repository';
import { connectionUrlsFromEnvironment, parseConnectionUrl } from './connections/connection-url';
import { diagnoseConnectionError, isConnectionFailure } from './connections/diagnose-connection-error';
import { OpenDatabase } from './connections/open-database';
import { testConnection, type ConnectionTestResult } from './connections/test-connection';
import { DEMO_CONNECTION_NAME, installShopDemo } from './demo/shop-database';
import { csvLines } from './execute/csv-lines';
import { guardReadOnly } from './guard/read-only-guard';
import { guardWrite, type WriteStatementKind } from './guard/write-guard';
import { introspect } from './introspect/introspect';
import type { HistoryRecord, QueryHistory } from './query-history';
import { awaitWriteApproval } from './writes/write-approval';

export type QueryChannel = QueryHistoryEntry['channel'];

export interface WriteResult {
  statement: WriteStatementKind;
  /** Rows inserted, changed or deleted; null when the driver does not say (Oracle through some paths). */
  affectedRows: number | null;
  ms: number;
}

interface Caller {
  channel: QueryChannel;
  /** The conversation, 'console', or 'control-api'. */
  who: string;
}

const EXPORT_BATCH_ROWS = 5000;
/** Dialects without a streaming path (SQLite, SQL Server, Oracle) export at most this many rows. */
const EXPORT_FALLBACK_MAX_ROWS = 100_000;

interface ConnectionEntry {
  name: string;
  source: DatabaseConnection['source'];
  settings: ConnectionSettings;
  /** From the env URL; never stored. */
  envPassword: string | undefined;
  database: OpenDatabase;
  schema: DatabaseSchema | undefined;
  /** The agent's tools for this connection, disposed when it is removed or replaced. */
  tools: Disposable | undefined;
}

export interface DatabasesServiceOptions {
  repository: ConnectionRepository;
  history: QueryHistory;
  settings: SettingsRepository;
  logger: Logger;
  publish: PublishEvent;
  /** Where a write waits for the operator's approval. */
  confirmations: ConfirmationCenter;
  /** Each statement's time on the database (the `sql` stage of the stage histogram). */
  observeSql(ms: number): void;
  /** Registers the agent's tools for one connection. */
  registerTools(connection: string): Disposable;
  /** A pool unused this long is closed (5 minutes by default). */
  idleMs?: number;
}

/**
 * The operator's database connections: the demo, those from PARLEY_DB_<NAME>_URL, those added in
 * the panel. Every query — the panel's, the agent's, the control API's — comes through `query`,
 * so through the one guard, the one read-only path, and into the one history.
 */
export class DatabasesService {
  private readonly entries = new Map<string, ConnectionEntry>();
  private readonly idleMs: number;

  constructor(private readonly options: DatabasesServiceOptions) {
    this.idleMs = options.idleMs ?? 5 * 60_000;
  }

  async load(context: { dataDir: string; environment: NodeJS.ProcessEnv }): Promise<void> {
    if (await this.options.repository.setFlagOnce('demo-installed')) {
      const filename = installShopDemo(context.dataDir, context.environment);
      await this.options.repository.save({ name: DEMO_CONNECTION_NAME, source: 'demo', settings: { dialect: 'sqlite', filename } }, undefined);
    }
    for (const stored of await this.options.repository.list()) this.add(stored.name, stored.source, stored.settings, undefined);
    for (const { name, url } of connectionUrlsFromEnvironment(context.environment)) {
      try {
        const parsed = parseConnectionUrl(url);
        this.add(name, 'env', parsed.settings, parsed.password);
      } catch (error) {
        this.options.logger.warn({ err: error, connection: name }, `PARLEY_DB_${name.toUpperCase()}_URL is not a usable database URL; skipped`);
      }
    }
  }

  async list(): Promise<DatabaseConnection[]> {
    const entries = [...this.entries.values()].sort((a, b) => a.name.localeCompare(b.name));
    return Promise.all(
      entries.map(async (entry) => ({
        ...entry.settings,
        name: entry.name,
        source: entry.source,
        hasPassword: entry.envPassword !== undefined || (entry.source !== 'env' && (await this.options.repository.hasPassword(entry.name))),
        open: entry.database.isOpen,
      })),
    );
  }

  dialectOf(name: string): ConnectionSettings['dialect'] {
    return this.entry(name).settings.dialect;
  }

  /** Whether the operator allowed the agent's writes (each still approved) on this connection. */
  allowsWrites(name: string): boolean {
    return this.entry(name).settings.allowWrites === true;
  }

  async schema(name: string, refresh = false): Promise<DatabaseSchema> {
    const entry = this.entry(name);
    if (entry.schema && !refresh) return entry.schema;
    const started = performance.now();
    let tables;
    try {
      tables = await entry.database.withKnex((knex) => introspect(knex, entry.settings.dialect));
    } catch (error) {
      if (error instanceof ParleyError || isConnectionFailure(error)) throw diagnoseConnectionError(error, entry.settings);
      throw new ParleyError('internal', `Reading the schema of "${name}" failed: ${(error as Error).message}`, { cause: error });
    }
    entry.schema = { connection: name, dialect: entry.settings.dialect, tables, introspectedAt: new Date().toISOString(), ms: Math.round(performance.now() - started) };
    return entry.schema;
  }

  /** One read statement through the guard and the dialect's read-only path, recorded in the history either way. */
  async query(name: string, sql: string, options: Caller & { maxRows?: number; signal?: AbortSignal }): Promise<QueryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const record = (rowCount: number | null, error: string | null) => this.record({ kind: 'read', connection: name, sql, ...callerOf(options), ms: elapsed(), rowCount, error });
    try {
      const entry = this.entry(name);
      const guarded = guardReadOnly(sql, entry.settings.dialect);
      // The setting is the default cap; a caller may ask for another (the protocol bounds it).
      const maxRows = options.maxRows ?? (await this.options.settings.get('databases.maxRows'));
      const timeoutMs = await this.options.settings.get('databases.statementTimeoutMs');
      const page = await this.onDatabase(entry, () => entry.database.run({ sql: guarded.sql, maxRows, timeoutMs, signal: options.signal }));
      const result = { ...page, rowCount: page.rows.length, ms: elapsed() };
      await record(result.rowCount, null);
      return result;
    } catch (error) {
      const failure = toFailure(error);
      await record(null, `${failure.code}: ${failure.message}`);
      throw failure;
    }
  }

  /**
   * One INSERT, UPDATE or DELETE from the agent, on a connection that allows writes: through the
   * write guard, then the operator's approval (never for WhatsApp, never on the API channel),
   * then its own transaction with the statement timeout. Recorded in the history either way,
   * refusals and rejections included.
   */
  async write(name: string, sql: string, options: Caller & { channel: Channel; tool: string; conversationId: string | undefined; signal: AbortSignal }): Promise<WriteResult> {
    let ranAt: number | undefined;
    // The time on the database only: the wait for the operator is not the statement's.
    const ms = () => (ranAt === undefined ? 0 : Math.round(performance.now() - ranAt));
    const record = (rowCount: number | null, error: string | null) => this.record({ kind: 'write', connection: name, sql, ...callerOf(options), ms: ms(), rowCount, error });
    try {
      const entry = this.entry(name);
      if (entry.settings.allowWrites !== true) {
        throw new ParleyError('forbidden', `Refused: writes are not allowed on "${name}".`, { hint: 'An operator can allow writes in Databases → the connection → Settings; each write then waits for approval.' });
      }
      const guarded = guardWrite(sql, entry.settings.dialect);
      await awaitWriteApproval(this.options.confirmations, { connection: name, tool: options.tool, write: guarded, channel: options.channel, conversationId: options.conversationId, signal: options.signal });
      const timeoutMs = await this.options.settings.get('databases.statementTimeoutMs');
      ranAt = performance.now();
      const outcome = await this.onDatabase(entry, () => entry.database.write({ sql: guarded.sql, timeoutMs, signal: options.signal }));
      const result = { statement: guarded.statement, affectedRows: outcome.affectedRows, ms: ms() };
      await record(outcome.affectedRows, null);
      return result;
    } catch (error) {
      const failure = toFailure(error);
      await record(null, `${failure.code}: ${failure.message}`);
      throw failure;
    }
  }

  /** Every row of one read as CSV through `write` (header first), through the same guard; recorded in the history. */
  async exportCsv(name: string, sql: string, options: Caller & { signal: AbortSignal; write(chunk: string): Promise<void> }): Promise<number> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const record = (rowCount: number | null, error: string | null) => this.record({ kind: 'export', connection: name, sql, ...callerOf(options), ms: elapsed(), rowCount, error });
    try {
      const entry = this.entry(name);
      const guarded = guardReadOnly(sql, entry.settings.dialect);
      const timeoutMs = await this.options.settings.get('databases.statementTimeoutMs');
      let headerWritten = false;
      const outcome = await this.onDatabase(entry, () =>
        entry.database.stream(
          { sql: guarded.sql, timeoutMs, batchRows: EXPORT_BATCH_ROWS },
          async (columns, rows) => {
            await options.write((headerWritten ? '' : csvLines([columns])) + csvLines(rows));
            headerWritten = true;
          },
          options.signal,
          EXPORT_FALLBACK_MAX_ROWS,
        ),
      );
      await record(outcome.rows, outcome.truncated ? 'truncated at the export cap' : null);
      return outcome.rows;
    } catch (error) {
      const failure = toFailure(error);
      await record(null, `${failure.code}: ${failure.message}`);
      throw failure;
    }
  }

  /** Our own bounded read (sample values for the agent), through the guard and the read-only path, not in the history. */
  async internalRows(name: string, sql: string): Promise<unknown[][]> {
    const entry = this.entry(name);
    const guarded = guardReadOnly(sql, entry.settings.dialect);
    return (await entry.database.run({ sql: guarded.sql, maxRows: 100, timeoutMs: 2_000 })).rows;
  }

  async save(name: string, settings: ConnectionSettings, password: string | null | undefined): Promise<DatabaseConnection> {
    const existing = this.entries.get(name);
    if (existing?.source === 'env') throw new ParleyError('conflict', `"${name}" comes from PARLEY_DB_${name.toUpperCase()}_URL and cannot be edited here`, { hint: 'Change the environment variable and restart the backend.' });
    if (settings.dialect === 'sqlite' && !settings.filename) throw new ParleyError('invalid_params', 'A SQLite connection needs the database file');
    if (settings.dialect !== 'sqlite' && !settings.host) throw new ParleyError('invalid_params', `A ${settings.dialect} connection needs a host`);
    const source = existing?.source === 'demo' ? 'demo' : 'user';
    await this.options.repository.save({ name, source, settings }, password);
    await this.dropEntry(name);
    this.add(name, source, settings, undefined);
    this.options.publish('databases.changed', { connection: name });
    return (await this.list()).find((connection) => connection.name === name)!;
  }

  async remove(name: string): Promise<boolean> {
    const entry = this.entries.get(name);
    if (entry?.source === 'env') throw new ParleyError('conflict', `"${name}" comes from PARLEY_DB_${name.toUpperCase()}_URL`, { hint: 'Unset the environment variable and restart the backend.' });
    const removed = await this.options.repository.remove(name);
    await this.dropEntry(name);
    this.options.publish('databases.changed', { connection: name });
    return removed || entry !== undefined;
  }

  async test(target: { name: string } | (ConnectionSettings & { password?: string })): Promise<ConnectionTestResult> {
    if ('name' in target) {
      const entry = this.entry(target.name);
      return testConnection(entry.settings, await this.passwordOf(entry));
    }
    const { password, ...settings } = target;
    return testConnection(settings, password);
  }

  history(options: { search?: string; connection?: string; limit: number }): Promise<QueryHistoryEntry[]> {
    return this.options.history.search(options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.dropEntry(name)));
  }

  private add(name: string, source: DatabaseConnection['source'], settings: ConnectionSettings, envPassword: string | undefined): void {
    const entry: ConnectionEntry = { name, source, settings, envPassword, schema: undefined, tools: undefined, database: undefined as unknown as OpenDatabase };
    entry.database = new OpenDatabase(settings, () => this.passwordOf(entry), this.options.logger, this.idleMs);
    this.entries.set(name, entry);
    entry.tools = this.options.registerTools(name);
  }

  private async dropEntry(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.tools?.dispose();
    await entry.database.close();
  }

  private passwordOf(entry: ConnectionEntry): Promise<string | undefined> {
    return entry.source === 'env' ? Promise.resolve(entry.envPassword) : this.options.repository.password(entry.name);
  }

  private entry(name: string): ConnectionEntry {
    const entry = this.entries.get(name);
    if (!entry) throw new ParleyError('not_found', `No database connection named "${name}"`, { hint: 'databases.list shows the connections.' });
    return entry;
  }

  private queryError(error: unknown, entry: ConnectionEntry): ParleyError {
    if (error instanceof ParleyError) return error;
    const failure = error as { code?: string; errno?: number; message?: string };
    // A write the read-only transaction stopped (25006 PostgreSQL, 1792 MySQL): the guard's last layer held.
    if (failure.code === '25006' || failure.errno === 1792 || /read-only transaction|READ ONLY transaction|readonly database/i.test(failure.message ?? '')) {
      return new ParleyError('forbidden', `Refused by the database: ${failure.message}`, { details: { reason: failure.message } });
    }
    if (isConnectionFailure(error)) return diagnoseConnectionError(error, entry.settings);
    // The server's own words (syntax, unknown column): the model reads them and corrects its SQL.
    return new ParleyError('invalid_params', `${entry.settings.dialect}: ${failure.message ?? String(error)}`, { details: { driverCode: failure.code } });
  }

  /** Runs work on the database, times it as the `sql` stage (whatever came of it), and turns a driver's failure into ours. */
  private async onDatabase<T>(entry: ConnectionEntry, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } catch (error) {
      throw this.queryError(error, entry);
    } finally {
      this.options.observeSql(performance.now() - started);
    }
  }

  private async record(entry: HistoryRecord): Promise<void> {
    await this.options.history.record(entry).catch((failure: unknown) => this.options.logger.warn({ err: failure }, 'query history write failed'));
  }
}

function callerOf(caller: Caller): Caller {
  return { channel: caller.channel, who: caller.who };
}

function toFailure(error: unknown): ParleyError {
  return error instanceof ParleyError ? error : new ParleyError('internal', String(error));
}

import type { Knex } from 'knex';
import type { Connection, FieldPacket } from 'mysql2';
import { toJsonCell } from './cell-values';
import { disposeRawConnection } from './dispose-connection';
import { queryTimeoutError } from './query-timeout';

export interface StreamRequest {
  /** Already through `guardReadOnly`. */
  sql: string;
  /** Per statement (each FETCH on PostgreSQL, the whole query on MySQL). */
  timeoutMs: number;
  /** Rows per batch handed to `onBatch`; memory holds about one batch. */
  batchRows: number;
}

/** Receives the columns once, then each batch; the next batch is read only when this settles (backpressure). */
export type BatchSink = (columns: string[], rows: unknown[][]) => Promise<void>;

interface PgClient {
  query(text: string): Promise<unknown>;
  query(config: { text: string; rowMode: 'array' }): Promise<{ rows: unknown[][]; fields: Array<{ name: string }> }>;
}

/**
 * Every row of a read on PostgreSQL, batch by batch from a cursor in a READ ONLY transaction: a
 * million-row export holds one batch in memory, not a million rows. Returns the row count.
 */
export async function streamPostgresReadOnly(knex: Knex, request: StreamRequest, onBatch: BatchSink, signal: AbortSignal): Promise<number> {
  const client = (await knex.client.acquireConnection()) as PgClient;
  let broken = false;
  let total = 0;
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(request.timeoutMs))}`);
      await client.query(`DECLARE parley_export NO SCROLL CURSOR FOR ${request.sql}\n`);
      for (;;) {
        signal.throwIfAborted();
        const result = await client.query({ text: `FETCH FORWARD ${request.batchRows} FROM parley_export`, rowMode: 'array' });
        if (result.rows.length > 0 || total === 0) await onBatch(result.fields.map((field) => field.name), result.rows.map((row) => row.map(toJsonCell)));
        total += result.rows.length;
        if (result.rows.length < request.batchRows) break;
      }
    } finally {
      await client.query('ROLLBACK').catch(() => (broken = true));
    }
    return total;
  } catch (error) {
    if ((error as { code?: string }).code === '57014') throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    if (broken) disposeRawConnection(client as never);
    await knex.client.releaseConnection(client);
  }
}

/** Every row of a read on MySQL/MariaDB, the socket paused while a batch is written out. */
export async function streamMysqlReadOnly(knex: Knex, request: StreamRequest, onBatch: BatchSink, signal: AbortSignal): Promise<number> {
  const connection = (await knex.client.acquireConnection()) as Connection;
  const simple = (sql: string) => new Promise<void>((resolve, reject) => connection.query(sql, (error) => (error ? reject(error) : resolve())));
  let broken = false;
  try {
    await simple('START TRANSACTION READ ONLY');
    try {
      return await new Promise<number>((resolve, reject) => {
        let columns: string[] = [];
        let batch: unknown[][] = [];
        let total = 0;
        let failed = false;
        const fail = (error: unknown) => {
          if (failed) return;
          failed = true;
          broken = true;
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        const flush = async () => {
          const rows = batch;
          batch = [];
          await onBatch(columns, rows);
        };
        const query = connection.query({ sql: request.sql, rowsAsArray: true, timeout: request.timeoutMs });
        query.on('fields', (fields: FieldPacket[]) => (columns = fields.map((field) => field.name)));
        query.on('result', (row: unknown) => {
          if (failed || !Array.isArray(row)) return;
          batch.push(row.map(toJsonCell));
          total++;
          if (batch.length >= request.batchRows) {
            connection.pause();
            flush().then(() => {
              if (signal.aborted) fail(signal.reason);
              else connection.resume();
            }, fail);
          }
        });
        query.on('error', fail);
        query.on('end', () => {
          if (failed) return;
          flush().then(() => resolve(total), fail);
        });
      });
    } finally {
      if (!broken) await simple('ROLLBACK').catch(() => (broken = true));
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'PROTOCOL_SEQUENCE_TIMEOUT' || [1969, 3024].includes((error as { errno?: number }).errno ?? 0)) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    if (broken) disposeRawConnection(connection);
    await knex.client.releaseConnection(connection);
  }
}

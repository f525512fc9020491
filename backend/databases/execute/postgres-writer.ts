import type { Knex } from 'knex';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { disposeRawConnection } from './dispose-connection';
import { QUERY_CANCELED, type PgClient } from './postgres-runner';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import { cancelRunningStatement } from './server-cancel';
import type { WriteOutcome, WriteRequest } from './write-request';

/**
 * One approved write on PostgreSQL: its own transaction with a local statement_timeout, sent with
 * the extended protocol (which refuses a second statement even if one got past the guard),
 * committed only when it finished and the turn was not stopped meanwhile. A stopped turn cancels
 * the statement on the server and rolls back.
 */
export async function runPostgresWrite(knex: Knex, request: WriteRequest): Promise<WriteOutcome> {
  const { signal } = request;
  throwIfCancelled(signal);
  const client = (await knex.client.acquireConnection()) as PgClient;
  let broken = false;
  const stopCancelling = onAbort(signal, () => void cancelRunningStatement(knex, 'postgres', client).catch(() => (broken = true)));
  try {
    const work = (async () => {
      await client.query('BEGIN');
      let committed = false;
      try {
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(request.timeoutMs))}`);
        throwIfCancelled(signal);
        const result = await client.query({ text: request.sql, queryMode: 'extended' });
        throwIfCancelled(signal);
        await client.query('COMMIT');
        committed = true;
        return { affectedRows: result.rowCount };
      } finally {
        if (!committed) await client.query('ROLLBACK').catch(() => (broken = true));
      }
    })();
    return await withWatchdog(work, request.timeoutMs, () => (broken = true));
  } catch (error) {
    if (signal.aborted) throw queryCancelledError();
    if ((error as { code?: string }).code === QUERY_CANCELED) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    stopCancelling();
    if (broken) disposeRawConnection(client as never);
    await knex.client.releaseConnection(client);
  }
}

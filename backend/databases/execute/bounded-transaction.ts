import type { Knex } from 'knex';
import type { DatabaseDialect } from '#protocol';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { disposeRawConnection } from './dispose-connection';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import { cancelRunningStatement } from './server-cancel';

export interface TransactionLimits {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * A knex transaction for the dialects whose knex client cannot cancel a query (SQL Server,
 * Oracle): knex's `.timeout(ms, {cancel: true})` throws "not supported" there before sending
 * anything. Our own timer and the request's signal ask the server to stop the statement instead
 * (tedious' attention, oracledb's break); the transaction commits only when `end` is 'commit' and
 * the work finished in time and was not cancelled, otherwise it is rolled back.
 */
export async function inBoundedTransaction<T>(knex: Knex, dialect: DatabaseDialect, limits: TransactionLimits, end: 'commit' | 'rollback', work: (trx: Knex.Transaction, connection: unknown) => Promise<T>): Promise<T> {
  throwIfCancelled(limits.signal);
  const trx = await knex.transaction();
  const connection: unknown = await trx.client.acquireConnection();
  let timedOut = false;
  const stopStatement = () => void cancelRunningStatement(knex, dialect, connection).catch(() => disposeRawConnection(connection as never));
  const stopCancelling = onAbort(limits.signal, stopStatement);
  const limit = setTimeout(() => {
    timedOut = true;
    stopStatement();
  }, limits.timeoutMs);
  let committed = false;
  try {
    const result = await withWatchdog(work(trx, connection), limits.timeoutMs, () => disposeRawConnection(connection as never));
    throwIfCancelled(limits.signal);
    if (timedOut) throw queryTimeoutError(limits.timeoutMs);
    if (end === 'commit') {
      await trx.commit();
      committed = true;
    }
    return result;
  } catch (error) {
    if (limits.signal?.aborted) throw queryCancelledError();
    if (timedOut) throw queryTimeoutError(limits.timeoutMs);
    throw error;
  } finally {
    clearTimeout(limit);
    stopCancelling();
    if (!committed) await trx.rollback().catch(() => undefined);
  }
}

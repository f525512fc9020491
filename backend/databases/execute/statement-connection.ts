import type { Knex } from 'knex';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { disposeRawConnection } from './dispose-connection';
import { withWatchdog } from './query-timeout';
import { cancelRunningStatement } from './server-cancel';

export interface StatementLimits {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One pooled PostgreSQL or MySQL connection for one statement's work, returned to the pool after.
 * While the work runs, a cancelled request stops the statement on the server (pg_cancel_backend,
 * KILL QUERY) and answers `cancelled`; work that outlives the server's own time limit is given up
 * (the watchdog). A connection left in an unknown state (`markBroken`) is closed, not reused.
 */
export async function onStatementConnection<C, T>(knex: Knex, dialect: 'postgres' | 'mysql', limits: StatementLimits, work: (connection: C, markBroken: () => void) => Promise<T>): Promise<T> {
  throwIfCancelled(limits.signal);
  const connection = (await knex.client.acquireConnection()) as C;
  let broken = false;
  const markBroken = () => {
    broken = true;
  };
  const stopCancelling = onAbort(limits.signal, () => void cancelRunningStatement(knex, dialect, connection).catch(markBroken));
  try {
    return await withWatchdog(work(connection, markBroken), limits.timeoutMs, markBroken);
  } catch (error) {
    if (limits.signal?.aborted) throw queryCancelledError();
    throw error;
  } finally {
    stopCancelling();
    if (broken) disposeRawConnection(connection as never);
    await knex.client.releaseConnection(connection);
  }
}

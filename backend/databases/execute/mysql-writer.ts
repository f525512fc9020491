import type { Knex } from 'knex';
import type { Connection, ResultSetHeader } from 'mysql2';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { disposeRawConnection } from './dispose-connection';
import { MYSQL_TIMEOUT_ERRNOS, setStatementTimeout, simpleQuery } from './mysql-session';
import { queryTimeoutError, withWatchdog } from './query-timeout';
import { cancelRunningStatement } from './server-cancel';
import type { WriteOutcome, WriteRequest } from './write-request';

/**
 * One approved write on MySQL/MariaDB, in its own transaction, committed only when it finished and
 * the turn was not stopped meanwhile. The connection never allows several statements (mysql2's
 * default), so a second one could not ride along. Its time limit is the server's where it applies
 * to writes (MariaDB) and KILL QUERY at the limit otherwise (MySQL's covers only SELECT); a
 * stopped turn kills the statement too, and the transaction is rolled back.
 */
export async function runMysqlWrite(knex: Knex, request: WriteRequest): Promise<WriteOutcome> {
  const { signal } = request;
  throwIfCancelled(signal);
  const connection = (await knex.client.acquireConnection()) as Connection;
  let broken = false;
  let timedOut = false;
  const kill = () => void cancelRunningStatement(knex, 'mysql', connection).catch(() => (broken = true));
  const stopCancelling = onAbort(signal, kill);
  const limit = setTimeout(() => {
    timedOut = true;
    kill();
  }, request.timeoutMs);
  try {
    const work = (async () => {
      await setStatementTimeout(connection, request.timeoutMs);
      await simpleQuery(connection, 'START TRANSACTION');
      let committed = false;
      try {
        throwIfCancelled(signal);
        const result = (await simpleQuery(connection, request.sql)) as ResultSetHeader;
        throwIfCancelled(signal);
        if (timedOut) throw queryTimeoutError(request.timeoutMs);
        await simpleQuery(connection, 'COMMIT');
        committed = true;
        return { affectedRows: typeof result.affectedRows === 'number' ? result.affectedRows : null };
      } finally {
        if (!committed) await simpleQuery(connection, 'ROLLBACK').catch(() => (broken = true));
      }
    })();
    return await withWatchdog(work, request.timeoutMs, () => (broken = true));
  } catch (error) {
    if (signal.aborted) throw queryCancelledError();
    if (timedOut || MYSQL_TIMEOUT_ERRNOS.has((error as { errno?: number }).errno ?? 0)) throw queryTimeoutError(request.timeoutMs);
    throw error;
  } finally {
    clearTimeout(limit);
    stopCancelling();
    if (broken) disposeRawConnection(connection);
    await knex.client.releaseConnection(connection);
  }
}

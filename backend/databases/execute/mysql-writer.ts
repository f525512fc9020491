import type { Knex } from 'knex';
import type { Connection, ResultSetHeader } from 'mysql2';
import { throwIfCancelled } from './cancellation';
import { mysqlTimeout } from './mysql-runner';
import { setStatementTimeout, simpleQuery } from './mysql-session';
import { queryTimeoutError } from './query-timeout';
import { cancelRunningStatement } from './server-cancel';
import { onStatementConnection } from './statement-connection';
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
  let timedOut = false;
  try {
    return await onStatementConnection<Connection, WriteOutcome>(knex, 'mysql', request, async (connection, markBroken) => {
      const limit = setTimeout(() => {
        timedOut = true;
        void cancelRunningStatement(knex, 'mysql', connection).catch(markBroken);
      }, request.timeoutMs);
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
        clearTimeout(limit);
        if (!committed) await simpleQuery(connection, 'ROLLBACK').catch(markBroken);
      }
    });
  } catch (error) {
    throw timedOut && !signal.aborted ? queryTimeoutError(request.timeoutMs) : mysqlTimeout(error, request.timeoutMs);
  }
}

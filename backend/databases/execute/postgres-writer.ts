import type { Knex } from 'knex';
import { throwIfCancelled } from './cancellation';
import { postgresTimeout, type PgClient } from './postgres-runner';
import { onStatementConnection } from './statement-connection';
import type { WriteOutcome, WriteRequest } from './write-request';

/**
 * One approved write on PostgreSQL: its own transaction with a local statement_timeout, sent with
 * the extended protocol (which refuses a second statement even if one got past the guard),
 * committed only when it finished and the turn was not stopped meanwhile. A stopped turn cancels
 * the statement on the server and rolls back.
 */
export async function runPostgresWrite(knex: Knex, request: WriteRequest): Promise<WriteOutcome> {
  const { signal } = request;
  try {
    return await onStatementConnection<PgClient, WriteOutcome>(knex, 'postgres', request, async (client, markBroken) => {
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
        if (!committed) await client.query('ROLLBACK').catch(markBroken);
      }
    });
  } catch (error) {
    throw postgresTimeout(error, request.timeoutMs);
  }
}

import { ParleyError } from '#protocol';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { queryTimeoutError } from './query-timeout';
import { spawnSqliteScript } from './sqlite-process';
import { sqliteOpenError } from './sqlite-reader';
import { SQLITE_WRITER_SCRIPT } from './sqlite-writer-script';
import type { WriteOutcome, WriteRequest } from './write-request';

type WriterMessage = { type: 'ready' } | { type: 'result'; changes: number } | { type: 'error'; message: string; code?: string };

/**
 * One approved write on a SQLite file, in a process of its own (the reader's stays read-only).
 * Past its time limit or when the turn is stopped the process is killed mid-transaction, and
 * SQLite's journal undoes the unfinished write.
 */
export function runSqliteWrite(filename: string, request: WriteRequest): Promise<WriteOutcome> {
  throwIfCancelled(request.signal);
  return new Promise<WriteOutcome>((resolve, reject) => {
    const { child, stderr } = spawnSqliteScript(SQLITE_WRITER_SCRIPT, filename);
    let settled = false;
    const settle = (outcome: { ok: WriteOutcome } | { error: ParleyError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopCancelling();
      if ('ok' in outcome) resolve(outcome.ok);
      else {
        child.kill('SIGKILL');
        reject(outcome.error);
      }
    };
    const timer = setTimeout(() => settle({ error: queryTimeoutError(request.timeoutMs) }), request.timeoutMs);
    const stopCancelling = onAbort(request.signal, () => settle({ error: queryCancelledError() }));
    child.on('message', (message: WriterMessage) => {
      if (message.type === 'ready') child.send({ sql: request.sql, busyMs: Math.min(request.timeoutMs, 5_000) });
      else if (message.type === 'result') settle({ ok: { affectedRows: message.changes } });
      else settle({ error: writerError(filename, message) });
    });
    child.once('exit', (code) => settle({ error: new ParleyError('unavailable', `The SQLite writer process ended before answering (exit ${code}): ${stderr() || 'no output'}`) }));
  });
}

function writerError(filename: string, message: { message: string; code?: string }): ParleyError {
  if (message.code === 'forbidden') return new ParleyError('forbidden', `Refused: ${message.message}.`, { details: { reason: message.message } });
  if (message.code === 'SQLITE_CANTOPEN' || message.code === 'SQLITE_READONLY') return sqliteOpenError(filename, message);
  return new ParleyError('invalid_params', `SQLite: ${message.message}`, { details: { code: message.code } });
}

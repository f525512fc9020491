import type { ChildProcess } from 'node:child_process';
import { ParleyError } from '#protocol';
import { onAbort, queryCancelledError, throwIfCancelled } from './cancellation';
import { toJsonCell } from './cell-values';
import { queryTimeoutError } from './query-timeout';
import type { ReadOnlyRequest, RowsPage } from './read-only-runner';
import { spawnSqliteScript } from './sqlite-process';
import { SQLITE_READER_SCRIPT } from './sqlite-reader-script';

type ReaderMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'result'; id: number; columns: string[]; rows: unknown[][]; truncated: boolean }
  | { type: 'error'; id: number; message: string; code?: string };

/**
 * One SQLite database file read by a child process, opened on the first query and kept for the
 * next ones. Queries run one at a time; a query over its time limit, or cancelled, kills the
 * process (the only way to stop SQLite mid-statement from Node) and the next query starts a fresh one.
 */
export class SqliteReader {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(private readonly filename: string) {}

  get open(): boolean {
    return this.child !== undefined;
  }

  run(request: ReadOnlyRequest): Promise<RowsPage> {
    const result = this.queue.then(() => this.runNow(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.ready = undefined;
  }

  private async runNow(request: ReadOnlyRequest): Promise<RowsPage> {
    throwIfCancelled(request.signal);
    const child = await this.start();
    throwIfCancelled(request.signal);
    const id = this.nextId++;
    return new Promise<RowsPage>((resolve, reject) => {
      const onMessage = (message: ReaderMessage) => {
        if (!('id' in message) || message.id !== id) return;
        cleanup();
        if (message.type === 'error') reject(readerError(message));
        else resolve({ columns: message.columns, rows: message.rows.map((row) => row.map(toJsonCell)), truncated: message.truncated });
      };
      const onExit = () => {
        cleanup();
        reject(new ParleyError('unavailable', 'The SQLite reader process ended during the query'));
      };
      const stop = (error: ParleyError) => {
        cleanup();
        if (this.child === child) this.close();
        else child.kill('SIGKILL');
        reject(error);
      };
      const timer = setTimeout(() => stop(queryTimeoutError(request.timeoutMs)), request.timeoutMs);
      const stopCancelling = onAbort(request.signal, () => stop(queryCancelledError()));
      function cleanup() {
        clearTimeout(timer);
        stopCancelling();
        child.off('message', onMessage);
        child.off('exit', onExit);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, sql: request.sql, maxRows: request.maxRows });
    });
  }

  private start(): Promise<ChildProcess> {
    this.ready ??= new Promise<ChildProcess>((resolve, reject) => {
      const { child, stderr } = spawnSqliteScript(SQLITE_READER_SCRIPT, this.filename);
      child.once('message', (message: ReaderMessage) => {
        if (message.type === 'ready') {
          this.child = child;
          child.once('exit', () => {
            if (this.child === child) this.close();
          });
          resolve(child);
        } else {
          this.ready = undefined;
          reject(sqliteOpenError(this.filename, message.type === 'failed' ? message : { message: 'unexpected reply', code: undefined }));
        }
      });
      child.once('exit', (code) => {
        if (this.child === child) return;
        this.ready = undefined;
        reject(new ParleyError('unavailable', `The SQLite reader could not start (exit ${code}): ${stderr() || 'no output'}`));
      });
    });
    return this.ready;
  }
}

function readerError(message: { message: string; code?: string }): ParleyError {
  if (message.code === 'forbidden') return new ParleyError('forbidden', `Refused: ${message.message}.`, { details: { reason: message.message } });
  return new ParleyError('invalid_params', `SQLite: ${message.message}`, { details: { code: message.code } });
}

export function sqliteOpenError(filename: string, failure: { message: string; code?: string }): ParleyError {
  const missing = failure.code === 'SQLITE_CANTOPEN' || /unable to open|does not exist/i.test(failure.message);
  return new ParleyError('unavailable', missing ? `The SQLite file ${filename} does not exist or cannot be opened` : `SQLite: ${failure.message}`, {
    hint: missing ? 'Check the path and that the backend may read the file.' : 'Check that the file is a SQLite database.',
  });
}

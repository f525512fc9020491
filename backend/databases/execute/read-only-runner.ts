/** A guarded statement on its way to the database, with the last two layers of the guard. */
export interface ReadOnlyRequest {
  /** Already through `guardReadOnly`. */
  sql: string;
  /** The row cap: one more row is read to know whether the result was truncated. */
  maxRows: number;
  /** Enforced by the server where it can (statement_timeout, max_statement_time) and by us otherwise. */
  timeoutMs: number;
  /** Aborted when the turn or the request is cancelled: the statement is then cancelled on the server. */
  signal?: AbortSignal;
}

export interface RowsPage {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/** Runs one read statement inside the dialect's read-only transaction (or read-only file), then rolls back. */
export type ReadOnlyRunner = (request: ReadOnlyRequest) => Promise<RowsPage>;

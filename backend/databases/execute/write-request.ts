/** An approved write on its way to the database. */
export interface WriteRequest {
  /** Already through `guardWrite`, and approved by the operator. */
  sql: string;
  timeoutMs: number;
  /** Aborted when the turn is cancelled: the statement is cancelled on the server and nothing is committed. */
  signal: AbortSignal;
}

export interface WriteOutcome {
  /** Rows the statement inserted, changed or deleted; null when the driver does not say. */
  affectedRows: number | null;
}

import type { Job, JobStatus } from './job-queue';

/** A row of the jobs table as the driver returns it (PostgreSQL returns bigint columns as strings). */
export interface JobRow {
  seq: number | string;
  id: string;
  queue: string;
  payload_json: string;
  idempotency_key: string | null;
  serial_key: string | null;
  status: JobStatus;
  attempts: number | string;
  max_attempts: number | string;
  run_at: number | string;
  lease_token: string | null;
  locked_until: number | string | null;
  last_error: string | null;
  created_at: number | string;
  updated_at: number | string;
  finished_at: number | string | null;
}

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload_json) as unknown,
    idempotencyKey: row.idempotency_key,
    serialKey: row.serial_key,
    seq: Number(row.seq),
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    lockedUntil: nullableNumber(row.locked_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    finishedAt: nullableNumber(row.finished_at),
  };
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

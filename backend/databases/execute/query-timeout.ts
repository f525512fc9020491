import { ParleyError } from '#protocol';

export function queryTimeoutError(timeoutMs: number): ParleyError {
  return new ParleyError('timeout', `The query ran longer than ${timeoutMs} ms and was cancelled`, {
    hint: 'Narrow it (a WHERE clause, fewer joins, an aggregate) or raise databases.statementTimeoutMs in the settings.',
  });
}

/** Rejects with `timeout` when `work` has not settled `graceMs` after the server-side timeout should have fired. */
export async function withWatchdog<T>(work: Promise<T>, timeoutMs: number, onExpired: () => void, graceMs = 2_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onExpired();
      reject(queryTimeoutError(timeoutMs));
    }, timeoutMs + graceMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

import { ParleyError } from '#protocol';

export interface SettleLimits {
  signal?: AbortSignal;
  /** performance.now() time after which the wait fails with 'timeout'. */
  deadline: number;
  /** The whole budget the deadline came from, for the error message. */
  budgetMs: number;
  /** What is being waited for, for the error message ("the transcription"). */
  what: string;
}

/**
 * Waits for `work` unless the caller cancels (ParleyError 'cancelled') or the deadline passes
 * (ParleyError 'timeout') first. The work itself is not stopped: the caller decides what to do
 * about it (kill a process, flag a native job).
 */
export function settleWithin<T>(work: Promise<T>, limits: SettleLimits): Promise<T> {
  if (limits.signal?.aborted) return Promise.reject(cancelledError(limits.what));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => finish(() => reject(cancelledError(limits.what)));
    const onDeadline = () => finish(() => reject(new ParleyError('timeout', `${capitalise(limits.what)} took longer than ${limits.budgetMs} ms`, { details: { budgetMs: limits.budgetMs } })));
    const timer = setTimeout(onDeadline, Math.max(0, limits.deadline - performance.now()));
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      settle();
    };
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function cancelledError(what: string): ParleyError {
  return new ParleyError('cancelled', `Cancelled ${what}`);
}

export function isCancelledOrTimedOut(error: unknown): boolean {
  return error instanceof ParleyError && (error.code === 'cancelled' || error.code === 'timeout');
}

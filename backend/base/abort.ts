/**
 * Waits for `work` unless `signal` aborts first; then rejects with `onAbort(signal.reason)`. The
 * work itself is not stopped: the caller decides what to do about it. The abort listener is
 * removed either way, so long-lived signals do not collect listeners.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: (reason: unknown) => unknown): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(onAbort(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort(signal.reason));
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** True for the errors fetch, the openai SDK and AbortSignal.timeout raise when a request is aborted. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

export function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

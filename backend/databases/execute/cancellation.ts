import { ParleyError } from '#protocol';

export function queryCancelledError(): ParleyError {
  return new ParleyError('cancelled', 'The query was stopped (the turn or the request was cancelled) and cancelled on the database server');
}

/** Throws `cancelled` when the signal has aborted: checked between the statements of one query. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw queryCancelledError();
}

/** Calls `cancel` once when the signal aborts; returns the removal of the listener (call it when the query is done). */
export function onAbort(signal: AbortSignal | undefined, cancel: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    cancel();
    return () => undefined;
  }
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

import { useEffect, useRef } from 'react';
import { clearErrors, showErrorDetails, useErrorStore } from './error-store';

/** Every error of this session, newest first, with its code and details, for a bug report. */
export function ErrorDetails() {
  const { errors, detailId } = useErrorStore();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (detailId !== null && !dialog.current?.open) dialog.current?.showModal();
    if (detailId === null && dialog.current?.open) dialog.current.close();
  }, [detailId]);
  return (
    <dialog ref={dialog} className="error-details" aria-label="Errors" onClose={() => showErrorDetails(null)}>
      <header>
        <h2>Errors</h2>
        <div>
          <button type="button" onClick={clearErrors} disabled={errors.length === 0}>
            Clear
          </button>
          <button type="button" onClick={() => showErrorDetails(null)}>
            Close
          </button>
        </div>
      </header>
      {errors.length === 0 && <p>No errors so far.</p>}
      <ol>
        {[...errors].reverse().map((entry) => (
          <li key={entry.id} className={entry.id === detailId ? 'selected' : undefined}>
            <div>
              <time>{new Date(entry.at).toLocaleTimeString()}</time> <strong>{entry.source}</strong> <code>{entry.error.code}</code>
            </div>
            <div>{entry.error.message}</div>
            {entry.error.hint && <div className="hint">{entry.error.hint}</div>}
            {entry.error.details !== undefined && <pre>{JSON.stringify(entry.error.details, null, 2)}</pre>}
          </li>
        ))}
      </ol>
    </dialog>
  );
}

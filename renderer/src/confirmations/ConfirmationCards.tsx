import type { Confirmation } from '#protocol';
import { controlClient } from '../connection';
import { reportError } from '../errors';

/** Calls waiting for a person: what the call does, the exact tool and arguments, Approve or Reject. */
export function ConfirmationCards({ confirmations, title }: { confirmations: Confirmation[]; title?: string }) {
  if (!confirmations.length) return null;
  const decide = (id: string, approve: boolean) =>
    void controlClient.request('confirmations.decide', { id, approve }).catch((error: unknown) => reportError('Approval', error));
  return (
    <section aria-label={title ?? 'Waiting for approval'} className="confirmations">
      {title && <h2>{title}</h2>}
      {confirmations.map((confirmation) => (
        <article key={confirmation.id} className="card confirmation-card" aria-label={`Approve ${confirmation.tool}?`} data-testid="confirmation-card">
          <div>
            <strong>{confirmation.summary}</strong>{' '}
            <span className="hint">
              asked on the {confirmation.channel} channel · expires {new Date(confirmation.expiresAt).toLocaleTimeString()}
            </span>
          </div>
          <details>
            <summary>The exact call: {confirmation.tool}</summary>
            <pre className="model-id">{JSON.stringify(confirmation.arguments, null, 2)}</pre>
          </details>
          <div className="form-actions">
            <button type="button" onClick={() => decide(confirmation.id, true)}>
              Approve
            </button>
            <button type="button" onClick={() => decide(confirmation.id, false)}>
              Reject
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

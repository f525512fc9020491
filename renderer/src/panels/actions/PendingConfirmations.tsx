import type { ActionConfirmation } from '#protocol';
import { requestOrReport } from './actions-queries';

/** The calls waiting for a person: the exact tool and arguments, Approve or Reject. */
export function PendingConfirmations({ confirmations }: { confirmations: ActionConfirmation[] }) {
  if (!confirmations.length) return null;
  const decide = (id: string, approve: boolean) => void requestOrReport('Actions', 'actions.confirm', { id, approve });
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">Waiting for approval</h2>
      {confirmations.map((confirmation) => (
        <article key={confirmation.id} className="card" aria-label={`Approve ${confirmation.tool}?`} data-testid="confirmation-card">
          <div>
            <strong>{confirmation.tool}</strong> <span className="hint">asked on the {confirmation.channel} channel · expires {new Date(confirmation.expiresAt).toLocaleTimeString()}</span>
          </div>
          <pre className="model-id">{JSON.stringify(confirmation.arguments, null, 2)}</pre>
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

import { ModelRefPicker } from '../../providers';
import { changeSetting, useSetting } from '../../settings';
import { addFallback, MAX_FALLBACKS, moveFallback, removeFallback } from './model-refs';

/** Models tried in order when a channel's model fails. */
export function FallbackList() {
  const fallbacks = useSetting('agent.fallbacks');
  const save = (next: readonly (typeof fallbacks)[number][]) => {
    if (next !== fallbacks) void changeSetting('agent.fallbacks', [...next]);
  };
  return (
    <section className="card" aria-labelledby="fallbacks-title">
      <h3 id="fallbacks-title">Fallbacks</h3>
      <p className="hint">Tried in this order when a channel's model fails (server error, timeout, refused, rate limit after retries).</p>
      {fallbacks.length === 0 && <p className="empty-state small">No fallback: a failing model fails the answer.</p>}
      <ol className="fallback-list">
        {fallbacks.map((ref, index) => {
          const name = `${ref.providerId}/${ref.model}`;
          return (
            <li key={name}>
              <code>{name}</code>
              <span className="row-actions">
                <button type="button" className="small" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => save(moveFallback(fallbacks, index, -1))}>
                  ↑
                </button>
                <button type="button" className="small" aria-label={`Move ${name} down`} disabled={index === fallbacks.length - 1} onClick={() => save(moveFallback(fallbacks, index, 1))}>
                  ↓
                </button>
                <button type="button" className="small" aria-label={`Remove ${name}`} onClick={() => save(removeFallback(fallbacks, index))}>
                  Remove
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <ModelRefPicker label="Add a fallback" submitLabel="Add fallback" disabled={fallbacks.length >= MAX_FALLBACKS} onSubmit={(ref) => save(addFallback(fallbacks, ref))} />
    </section>
  );
}

import { useState } from 'react';
import { ModelRefPicker } from '../../providers';
import { changeSetting, useSetting } from '../../settings';
import { modelRefKey } from './model-refs';

const MIN = 512;
const MAX = 2_000_000;

/** Tokens of context a turn may use, per model; models without an entry use the backend's default. */
export function ContextBudgets() {
  const budgets = useSetting('agent.contextBudgets');
  const [tokens, setTokens] = useState('32000');
  const valid = isBudget(tokens);
  const set = (key: string, value: number) => void changeSetting('agent.contextBudgets', { ...budgets, [key]: value });
  const remove = (key: string) => {
    const { [key]: _removed, ...rest } = budgets;
    void changeSetting('agent.contextBudgets', rest);
  };
  const entries = Object.entries(budgets).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section className="card" aria-labelledby="budgets-title">
      <h3 id="budgets-title">Context budgets</h3>
      <p className="hint">Prompt, history and tool results are trimmed to fit. From {MIN.toLocaleString()} to {MAX.toLocaleString()} tokens.</p>
      {entries.length > 0 && (
        <table className="budgets">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Tokens</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([key, value]) => (
              <tr key={key}>
                <td>
                  <code>{key}</code>
                </td>
                <td>
                  <BudgetInput label={`Tokens for ${key}`} value={value} onCommit={(next) => set(key, next)} />
                </td>
                <td>
                  <button type="button" className="small" aria-label={`Remove the budget of ${key}`} onClick={() => remove(key)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline-row">
        <label htmlFor="budget-tokens">Tokens</label>
        <input id="budget-tokens" className="narrow" inputMode="numeric" value={tokens} aria-invalid={!valid || undefined} onChange={(event) => setTokens(event.target.value)} />
      </div>
      <ModelRefPicker label="Budget for model" submitLabel="Set budget" disabled={!valid} onSubmit={(ref) => set(modelRefKey(ref), Number(tokens))} />
    </section>
  );
}

/** Commits on Enter or when focus leaves, and only a valid number. */
function BudgetInput({ label, value, onCommit }: { label: string; value: number; onCommit(value: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && isBudget(draft) && Number(draft) !== value) onCommit(Number(draft));
    setDraft(null);
  };
  const shown = draft ?? String(value);
  return (
    <input
      aria-label={label}
      className="narrow"
      inputMode="numeric"
      value={shown}
      aria-invalid={!isBudget(shown) || undefined}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
        if (event.key === 'Escape') setDraft(null);
      }}
    />
  );
}

function isBudget(text: string): boolean {
  const value = Number(text);
  return /^\d+$/.test(text.trim()) && value >= MIN && value <= MAX;
}

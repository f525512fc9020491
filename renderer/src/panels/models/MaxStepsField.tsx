import { useState } from 'react';
import { useIsConnected } from '../../connection';
import { changeSetting, getSetting, useSetting } from '../../settings';

export function MaxStepsField() {
  const connected = useIsConnected();
  const saved = useSetting('agent.maxSteps');
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? String(saved);
  const number = Number(value);
  const valid = /^\d+$/.test(value.trim()) && number >= 1 && number <= 50;
  const dirty = draft !== null && valid && number !== saved;
  return (
    <section className="card" aria-labelledby="max-steps-title">
      <h3 id="max-steps-title">Steps per answer</h3>
      <p className="hint">Model round trips one answer may take; each round of tool calls is one. From 1 to 50.</p>
      <form
        className="inline-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (!dirty) return;
          void changeSetting('agent.maxSteps', number).then(() => {
            if (getSetting('agent.maxSteps') === number) setDraft(null);
          });
        }}
      >
        <label htmlFor="max-steps">Max steps</label>
        <input id="max-steps" className="narrow" inputMode="numeric" value={value} aria-invalid={!valid || undefined} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit" disabled={!connected || !dirty}>
          Save
        </button>
      </form>
    </section>
  );
}

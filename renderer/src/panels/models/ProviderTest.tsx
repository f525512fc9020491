import { useState } from 'react';
import type { Provider } from '#protocol';
import { useIsConnected } from '../../connection';
import { useProviderTest } from './providers-store';

interface Props {
  provider: Provider;
  /** The editor has unsaved changes: they are saved before the test, so the test checks what is shown. */
  dirty: boolean;
  saveFirst(): Promise<Provider | null>;
}

/** Connects, lists models and (with a model) asks for one token; shows the backend's diagnosis. */
export function ProviderTest({ provider, dirty, saveFirst }: Props) {
  const connected = useIsConnected();
  const { outcome, run: test } = useProviderTest(provider);
  const [model, setModel] = useState(provider.defaultModel);

  const run = async () => {
    // What is tested is what is saved: unsaved changes are saved first.
    const tested = dirty ? await saveFirst() : provider;
    if (tested) await test(model.trim() || undefined, tested);
  };
  const diagnosis = outcome?.diagnosis;

  return (
    <section className="provider-test" aria-labelledby="provider-test-title">
      <h3 id="provider-test-title">Test the connection</h3>
      <div className="inline-row">
        <label htmlFor="test-model">Model (optional)</label>
        <input id="test-model" value={model} placeholder="also ask this model for one token" onChange={(event) => setModel(event.target.value)} />
        <button type="button" onClick={() => void run()} disabled={!connected || outcome?.running}>
          {outcome?.running ? 'Testing…' : dirty ? 'Save & test' : 'Test'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {diagnosis && (
          <div className={`diagnosis ${diagnosis.ok ? 'diagnosis-ok' : 'diagnosis-bad'}`} data-testid="diagnosis">
            <div>
              <span className={`badge ${diagnosis.ok ? 'badge-ok' : 'badge-degraded'}`}>{diagnosis.ok ? 'OK' : (diagnosis.problem ?? 'problem')}</span>{' '}
              {diagnosis.message}
              {diagnosis.latencyMs !== undefined && <span className="hint"> · {Math.round(diagnosis.latencyMs)} ms</span>}
            </div>
            {diagnosis.hint && <div className="hint">{diagnosis.hint}</div>}
            {diagnosis.models && <div className="hint">{diagnosis.models.length} models listed{outcome.model ? `; tested with ${outcome.model}` : ''}.</div>}
          </div>
        )}
      </div>
    </section>
  );
}

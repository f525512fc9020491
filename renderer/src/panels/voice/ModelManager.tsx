import { useId } from 'react';
import type { SpeechModel } from '#protocol';
import { useIsConnected } from '../../connection';
import { CustomModelForm } from './CustomModelForm';
import { ModelRow } from './ModelRow';
import { reloadSpeechModels, useSpeechModels, type SpeechModelKind } from './speech-models-store';

const GROUPS: Array<{ kind: SpeechModelKind; title: string; purpose: string }> = [
  { kind: 'whisper', title: 'Whisper models', purpose: 'Speech recognition on this machine. Larger models are more accurate and slower.' },
  { kind: 'piper', title: 'Piper voices', purpose: 'Natural speech synthesis on this machine, one voice per language and speaker.' },
];

/** The catalogue of downloadable speech models, what is installed, downloads in progress, and model files. */
export function ModelManager() {
  const id = useId();
  const connected = useIsConnected();
  const list = useSpeechModels();
  const models = list.data?.models ?? [];
  const loaded = list.isSuccess;
  const problem = list.isError && !list.isFetching ? list.error.message : null;

  return (
    <section className="card voice-card model-manager" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`}>Model manager</h2>
        <button type="button" className="small" disabled={!connected} onClick={() => void reloadSpeechModels()}>
          Refresh
        </button>
      </div>
      {problem && (
        <p className="empty-state small" role="note" data-testid="speech-models-problem">
          The speech models could not be listed: {problem}. The settings above still work and are saved.
        </p>
      )}
      {!loaded && !problem && <p className="hint">{connected ? 'Loading…' : 'Connect to the backend to see the models.'}</p>}
      {GROUPS.map(({ kind, title, purpose }) => (
        <ModelGroup key={kind} title={title} purpose={purpose} models={models.filter((m) => m.kind === kind)} shown={loaded && !problem} />
      ))}
      <CustomModelForm />
    </section>
  );
}

function ModelGroup({ title, purpose, models, shown }: { title: string; purpose: string; models: SpeechModel[]; shown: boolean }) {
  const id = useId();
  if (!shown) return null;
  return (
    <div className="model-group">
      <h3 id={id}>{title}</h3>
      <p className="hint">{purpose}</p>
      {models.length === 0 ? (
        <p className="empty-state small">None offered by this backend.</p>
      ) : (
        <table className="speech-models" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Size</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

import { useId } from 'react';
import { changeSetting, useSetting } from '../../settings';
import { STT_LANGUAGES } from './speech-options';
import { useInstalledModels } from './speech-models-store';
import { RemoteModelField } from './RemoteModelField';

/** Speech to text: Whisper on this machine (model, language) or a remote OpenAI-compatible endpoint. */
export function RecognitionCard() {
  const id = useId();
  const engine = useSetting('voice.stt.engine');
  const model = useSetting('voice.stt.model');
  const language = useSetting('voice.stt.language');
  const whisperModels = useInstalledModels('whisper');
  const modelMissing = model !== null && !whisperModels.some((m) => m.id === model);
  const languageKnown = STT_LANGUAGES.some((l) => l.code === language);

  return (
    <section className="card voice-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Speech recognition</h2>
      <div className="form-grid">
        <label htmlFor={`${id}-engine`}>Engine</label>
        <select id={`${id}-engine`} value={engine} onChange={(event) => void changeSetting('voice.stt.engine', event.target.value as typeof engine)}>
          <option value="whisper-local">Whisper on this machine</option>
          <option value="remote">Remote (OpenAI-compatible)</option>
        </select>
        {engine === 'whisper-local' && (
          <>
            <label htmlFor={`${id}-model`}>Model</label>
            <div>
              <select id={`${id}-model`} value={model ?? ''} onChange={(event) => void changeSetting('voice.stt.model', event.target.value || null)}>
                <option value="">{whisperModels.length ? 'Choose a model' : 'No model installed'}</option>
                {modelMissing && <option value={model}>{model} (not installed)</option>}
                {whisperModels.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
              {whisperModels.length === 0 && <p className="hint">Download a Whisper model in the model manager below, or use a model file.</p>}
            </div>
          </>
        )}
        <label htmlFor={`${id}-language`}>Language</label>
        <select id={`${id}-language`} value={language} onChange={(event) => void changeSetting('voice.stt.language', event.target.value)}>
          {!languageKnown && <option value={language}>{language}</option>}
          {STT_LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
              {l.code === 'auto' ? '' : ` (${l.code})`}
            </option>
          ))}
        </select>
        {engine === 'remote' && <RemoteModelField setting="voice.stt.remote" label="Transcription model" testId="stt-remote" hint="A transcription model of a provider from the Models panel, e.g. whisper-1 or gpt-4o-mini-transcribe." />}
      </div>
    </section>
  );
}

import { useId, useState } from 'react';
import { useIsConnected } from '../../connection';
import { CUSTOM_MODEL_FILES } from './speech-options';
import { useRegisterCustomModel, type SpeechModelKind } from './speech-models-store';

/**
 * "Use a model file…": a file the backend can read. The desktop app picks it with the system's
 * dialog; the web console runs elsewhere than the backend, so it asks for a path on the server.
 */
export function CustomModelForm() {
  const id = useId();
  const connected = useIsConnected();
  const [kind, setKind] = useState<SpeechModelKind>('whisper');
  const [path, setPath] = useState('');
  const { busy, register: registerCustomModel } = useRegisterCustomModel();
  const desktop = window.parley;
  const file = CUSTOM_MODEL_FILES[kind];

  const register = async (chosen: string) => {
    const model = await registerCustomModel(kind, chosen);
    if (model) setPath('');
  };
  const choose = async () => {
    const [chosen] = (await desktop?.openFiles({ title: `Choose a ${file.label}`, filters: [{ name: file.label, extensions: [...file.extensions] }] })) ?? [];
    if (chosen) await register(chosen);
  };

  return (
    <form
      className="custom-model"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        if (path.trim()) void register(path.trim());
      }}
    >
      <h3 id={`${id}-title`}>Use a model file</h3>
      <p className="hint">
        A {file.label.toLowerCase()} you already have ({file.extensions.map((ext) => `.${ext}`).join(', ')}
        {kind === 'piper' ? ', with its .onnx.json next to it' : ''}).
      </p>
      <div className="inline-row">
        <label htmlFor={`${id}-kind`} className="visually-hidden">
          Kind of model
        </label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as SpeechModelKind)}>
          <option value="whisper">{CUSTOM_MODEL_FILES.whisper.label}</option>
          <option value="piper">{CUSTOM_MODEL_FILES.piper.label}</option>
        </select>
        {desktop ? (
          <button type="button" disabled={!connected || busy} onClick={() => void choose()}>
            Use a model file…
          </button>
        ) : (
          <>
            <label htmlFor={`${id}-path`} className="visually-hidden">
              Path of the file on the server
            </label>
            <input id={`${id}-path`} className="custom-model-path" placeholder="/path/on/the/server/model.bin" value={path} onChange={(event) => setPath(event.target.value)} />
            <button type="submit" disabled={!connected || busy || !path.trim()}>
              Use this file
            </button>
          </>
        )}
      </div>
    </form>
  );
}

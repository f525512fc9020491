import type { SpeechModel } from '#protocol';
import { useIsConnected } from '../../connection';
import { changeSetting, useSettings } from '../../settings';
import { describeDownload, downloadFraction, formatBytes } from './format';
import { useModelActions, useSpeechModels } from './speech-models-store';

/** One catalogue entry: its state (installed, in use, downloading with progress) and what can be done with it. */
export function ModelRow({ model }: { model: SpeechModel }) {
  const connected = useIsConnected();
  const download = useSpeechModels().data?.downloads[model.id];
  const actions = useModelActions(model.id);
  const busy = actions.busy;
  const inUse = useSettings((settings) =>
    model.kind === 'whisper'
      ? settings['voice.stt.engine'] === 'whisper-local' && settings['voice.stt.model'] === model.id
      : settings['voice.tts.engine'] === 'piper' && settings['voice.tts.voice'] === model.id,
  );
  const active = download && (download.state === 'downloading' || download.state === 'verifying');
  const fraction = download ? downloadFraction(download) : null;
  const disabled = !connected || busy;

  const use = async () => {
    if (model.kind === 'whisper') {
      await changeSetting('voice.stt.engine', 'whisper-local');
      await changeSetting('voice.stt.model', model.id);
    } else {
      await changeSetting('voice.tts.engine', 'piper');
      await changeSetting('voice.tts.voice', model.id);
    }
  };

  return (
    <tr data-testid={`speech-model-${model.id}`}>
      <td>
        <span className="provider-name">{model.name}</span>
        {model.language && <span className="provider-sub"> {model.language}</span>}
        {model.custom && <span className="badge"> file</span>}
      </td>
      <td>{model.sizeBytes !== undefined ? formatBytes(model.sizeBytes) : '–'}</td>
      <td className="model-state">
        {active ? (
          <>
            <progress max={1} value={fraction ?? undefined} aria-label={`Download of ${model.name}`} />
            <span className="hint">{describeDownload(download)}</span>
          </>
        ) : download?.state === 'failed' ? (
          <span className="field-error">{describeDownload(download)}</span>
        ) : model.installed ? (
          <span className="badge badge-ok">{inUse ? 'in use' : 'installed'}</span>
        ) : (
          <span className="hint">not installed</span>
        )}
      </td>
      <td className="model-actions-cell">
        {active ? (
          <button type="button" className="small" disabled={disabled} onClick={actions.cancel}>
            Cancel
          </button>
        ) : model.installed ? (
          <>
            {!inUse && (
              <button type="button" className="small" disabled={!connected} onClick={() => void use()}>
                Use
              </button>
            )}
            <button
              type="button"
              className="small danger-text"
              disabled={disabled}
              onClick={() => {
                if (window.confirm(`Delete ${model.name}${model.custom ? ' from the list (the file stays)' : ''}?`)) actions.remove();
              }}
            >
              Delete
            </button>
          </>
        ) : (
          <button type="button" className="small" disabled={disabled} onClick={actions.download}>
            {download?.state === 'failed' ? 'Retry' : 'Download'}
          </button>
        )}
      </td>
    </tr>
  );
}

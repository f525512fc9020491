import { ModelRefPicker } from '../../providers';
import { changeSetting, useSetting } from '../../settings';

type RemoteSetting = 'voice.stt.remote' | 'voice.tts.remote';

/** The provider and model a remote speech engine uses: what is chosen now, and a picker to change it. */
export function RemoteModelField({ setting, label, testId, hint }: { setting: RemoteSetting; label: string; testId: string; hint: string }) {
  const remote = useSetting(setting);
  return (
    <>
      <span>Provider and model</span>
      <div>
        <p className="current-model" data-testid={testId}>
          {remote ? (
            <code>
              {remote.providerId}/{remote.model}
            </code>
          ) : (
            <span className="warn-text">none chosen</span>
          )}
        </p>
        <ModelRefPicker
          key={remote ? `${remote.providerId}/${remote.model}` : 'none'}
          label={label}
          initial={remote}
          submitLabel="Use"
          onSubmit={(ref) => void changeSetting(setting, ref)}
        />
        <p className="hint">{hint}</p>
      </div>
    </>
  );
}

import { useId } from 'react';
import { changeSetting, useSetting } from '../../settings';
import { RemoteModelField } from './RemoteModelField';
import { SettingSlider } from './SettingSlider';
import { ESPEAK_VOICES, REMOTE_VOICES } from './speech-options';
import { useInstalledModels } from './speech-models-store';
import { VoiceNameField } from './VoiceNameField';
import { VoicePreview } from './VoicePreview';

/** Text to speech: eSpeak NG, a Piper voice, or a remote endpoint; speed, volume and a preview. */
export function SynthesisCard() {
  const id = useId();
  const engine = useSetting('voice.tts.engine');
  const voice = useSetting('voice.tts.voice');
  const piperVoices = useInstalledModels('piper');

  return (
    <section className="card voice-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Speech synthesis</h2>
      <div className="form-grid">
        <label htmlFor={`${id}-engine`}>Engine</label>
        <select id={`${id}-engine`} value={engine} onChange={(event) => void changeSetting('voice.tts.engine', event.target.value as typeof engine)}>
          <option value="espeak">eSpeak NG (built in, robotic)</option>
          <option value="piper">Piper (natural, needs a voice)</option>
          <option value="remote">Remote (OpenAI-compatible)</option>
        </select>
        <label htmlFor={`${id}-voice`}>Voice</label>
        <div>
          {engine === 'piper' ? (
            <>
              <select id={`${id}-voice`} value={piperVoices.some((v) => v.id === voice) ? voice : ''} onChange={(event) => event.target.value && void changeSetting('voice.tts.voice', event.target.value)}>
                <option value="">{piperVoices.length ? 'Choose a voice' : 'No Piper voice installed'}</option>
                {piperVoices.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                    {v.language ? ` (${v.language})` : ''}
                  </option>
                ))}
              </select>
              {piperVoices.length === 0 && <p className="hint">Download a Piper voice in the model manager below.</p>}
            </>
          ) : (
            <VoiceNameField id={`${id}-voice`} suggestions={engine === 'remote' ? REMOTE_VOICES : ESPEAK_VOICES} />
          )}
        </div>
        {engine === 'remote' && <RemoteModelField setting="voice.tts.remote" label="Speech model" testId="tts-remote" hint="A speech model of a provider from the Models panel, e.g. tts-1 or gpt-4o-mini-tts." />}
      </div>
      <SettingSlider settingKey="voice.tts.speed" label="Speed" min={0.5} max={2} step={0.05} format={(v) => `${v.toFixed(2)}×`} />
      <SettingSlider settingKey="voice.tts.volume" label="Volume" min={0} max={1} step={0.01} format={(v) => `${Math.round(v * 100)} %`} />
      <VoicePreview />
    </section>
  );
}

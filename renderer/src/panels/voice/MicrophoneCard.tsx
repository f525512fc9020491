import { useCallback, useEffect, useId, useState } from 'react';
import {
  chosenMicrophoneId,
  effectiveMicrophoneId,
  enumerateMicrophones,
  LevelMeter,
  rememberMicrophone,
  restartMicTest,
  startMicTest,
  stopMicTest,
  useMicTestStore,
  useVoiceStore,
  voiceSession,
  type Microphone,
} from '../../voice';

/** Which input to use on this machine, and a level meter to check it hears you. */
export function MicrophoneCard() {
  const id = useId();
  const [microphones, setMicrophones] = useState<Microphone[]>([]);
  const [chosen, setChosen] = useState(chosenMicrophoneId);
  const { testing, device } = useMicTestStore();
  const voiceOn = useVoiceStore((state) => state.session === 'on');

  const refresh = useCallback(() => {
    enumerateMicrophones()
      .then(setMicrophones)
      .catch(() => setMicrophones([]));
  }, []);

  useEffect(() => {
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', refresh);
      stopMicTest();
    };
  }, [refresh]);

  // Names are only readable once the microphone was allowed: list again when a test opened it.
  useEffect(() => {
    if (device) refresh();
  }, [device, refresh]);

  const selected = effectiveMicrophoneId(chosen, microphones) ?? '';
  const namesHidden = microphones.length > 0 && microphones.every((mic) => /^Microphone \d+$/.test(mic.label));

  return (
    <section className="card voice-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Microphone</h2>
      <p className="hint">Remembered on this machine. Echo cancellation, noise suppression and automatic gain are on.</p>
      <div className="inline-row">
        <label htmlFor={`${id}-device`}>Input</label>
        <select
          id={`${id}-device`}
          value={selected}
          onChange={(event) => {
            const deviceId = event.target.value || null;
            rememberMicrophone(deviceId);
            setChosen(deviceId);
            void voiceSession.reopenMicrophone();
            void restartMicTest();
          }}
        >
          <option value="">System default</option>
          {microphones.map((mic) => (
            <option key={mic.deviceId} value={mic.deviceId}>
              {mic.label}
            </option>
          ))}
        </select>
        <button type="button" className="small" onClick={refresh}>
          Refresh
        </button>
      </div>
      {namesHidden && <p className="hint">Device names appear once the microphone has been allowed: press Test.</p>}
      <div className="inline-row">
        <button type="button" aria-pressed={testing} disabled={voiceOn} onClick={() => (testing ? stopMicTest() : void startMicTest())}>
          {testing ? 'Stop test' : 'Test'}
        </button>
        <LevelMeter label="Microphone test level" active={testing || voiceOn} />
      </div>
      {voiceOn && <p className="hint">Voice is on: the meter shows the microphone it uses.</p>}
      {testing && device && <p className="hint">Listening to {device}. Speak: the bar should reach the green zone.</p>}
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import { VoiceRecording } from './voice-media';

/** Click to record from the chosen microphone, click again to send the recording (as a WAV) with `onRecorded`. */
export function RecordButton({ label, onRecorded, disabled }: { label: string; onRecorded(wav: Uint8Array): Promise<void>; disabled?: boolean }) {
  const [recording, setRecording] = useState<VoiceRecording | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const current = useRef<VoiceRecording | null>(null);

  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => setSeconds(recording.seconds), 200);
    return () => clearInterval(timer);
  }, [recording]);
  // Leaving the panel while recording releases the microphone.
  useEffect(() => () => current.current?.cancel(), []);

  const start = async () => {
    setProblem(null);
    try {
      const started = await VoiceRecording.start(() => {
        setProblem('The microphone went away (unplugged, or the permission was revoked).');
        current.current = null;
        setRecording(null);
      });
      current.current = started;
      setSeconds(0);
      setRecording(started);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const stop = async () => {
    const active = current.current;
    if (!active) return;
    current.current = null;
    setRecording(null);
    setBusy(true);
    try {
      const wav = await active.stop();
      if (!wav) throw new Error('Nothing was recorded: check the microphone in the Voice panel.');
      await onRecorded(wav);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="record-button">
      <button type="button" aria-pressed={recording !== null} disabled={disabled || busy} onClick={() => void (recording ? stop() : start())}>
        {recording ? `■ Stop and send (${seconds.toFixed(0)} s)` : busy ? 'Sending…' : `🎤 ${label}`}
      </button>
      {problem && <span role="alert">{problem}</span>}
    </span>
  );
}

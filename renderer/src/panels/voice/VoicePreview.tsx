import { useEffect, useId, useRef, useState } from 'react';
import { useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { previewVoice, stopPreview, useFollowVolumeSetting } from '../../voice';

/** Speaks a sentence with the voice as configured now (speech.synthesize), at the set volume. */
export function VoicePreview() {
  const connected = useIsConnected();
  const id = useId();
  const [text, setText] = useState('Hello! This is how I will sound when I answer you.');
  const [state, setState] = useState<'idle' | 'synthesizing' | 'playing'>('idle');
  const abort = useRef<AbortController | null>(null);
  useFollowVolumeSetting();

  useEffect(
    () => () => {
      abort.current?.abort();
      stopPreview();
    },
    [],
  );

  const play = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setState('synthesizing');
    try {
      await previewVoice(text.trim(), { signal: controller.signal, onPlaying: () => setState('playing') });
    } catch (error) {
      if (!controller.signal.aborted) reportError('Voice preview', error);
    } finally {
      if (abort.current === controller) setState('idle');
    }
  };
  const stop = () => {
    abort.current?.abort();
    abort.current = null;
    stopPreview();
    setState('idle');
  };

  return (
    <div className="voice-preview">
      <label htmlFor={id}>Preview text</label>
      <div className="inline-row">
        <input id={id} value={text} maxLength={2000} onChange={(event) => setText(event.target.value)} />
        {state === 'idle' ? (
          <button type="button" disabled={!connected || text.trim().length === 0} onClick={() => void play()}>
            Preview
          </button>
        ) : (
          <button type="button" onClick={stop}>
            {state === 'synthesizing' ? 'Cancel' : 'Stop'}
          </button>
        )}
      </div>
    </div>
  );
}

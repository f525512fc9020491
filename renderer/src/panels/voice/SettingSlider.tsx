import { useEffect, useId, useRef, useState } from 'react';
import { useIsConnected } from '../../connection';
import { changeSetting, useSetting } from '../../settings';

export type NumericVoiceSetting = 'voice.tts.speed' | 'voice.tts.volume' | 'voice.vad.silenceMs' | 'voice.vad.sensitivity';

interface Props {
  settingKey: NumericVoiceSetting;
  label: string;
  min: number;
  max: number;
  step: number;
  format(value: number): string;
  hint?: string;
}

/** Saves a moment after the thumb stops, not on every step of a drag. */
const COMMIT_DELAY_MS = 250;

export function SettingSlider({ settingKey, label, min, max, step, format, hint }: Props) {
  const connected = useIsConnected();
  const saved = useSetting(settingKey);
  const [draft, setDraft] = useState<number | null>(null);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; value: number } | null>(null);
  const id = useId();
  const value = draft ?? saved;

  const commit = (next: number) => {
    pending.current = null;
    void changeSetting(settingKey, next).finally(() => setDraft((current) => (current === next ? null : current)));
  };

  useEffect(
    () => () => {
      // Leaving the panel mid-drag still saves the last value.
      if (pending.current) {
        clearTimeout(pending.current.timer);
        void changeSetting(settingKey, pending.current.value);
      }
    },
    [settingKey],
  );

  return (
    <div className="setting-slider">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={!connected}
        aria-valuetext={format(value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          const next = Number(event.target.value);
          setDraft(next);
          if (pending.current) clearTimeout(pending.current.timer);
          pending.current = { value: next, timer: setTimeout(() => commit(next), COMMIT_DELAY_MS) };
        }}
      />
      <output htmlFor={id}>{format(value)}</output>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

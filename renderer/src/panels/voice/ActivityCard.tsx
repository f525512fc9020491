import { useId } from 'react';
import { SettingSlider } from './SettingSlider';

/** How the backend's voice activity detection decides that you started and finished speaking. */
export function ActivityCard() {
  const id = useId();
  return (
    <section className="card voice-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Voice activity</h2>
      <p className="hint">Used in hands-free mode, and to notice when you speak over an answer.</p>
      <SettingSlider
        settingKey="voice.vad.silenceMs"
        label="Silence that ends a sentence"
        min={100}
        max={3000}
        step={50}
        format={(v) => `${v} ms`}
        hint="Shorter answers sooner; longer lets you pause mid-sentence."
      />
      <SettingSlider
        settingKey="voice.vad.sensitivity"
        label="Sensitivity"
        min={0}
        max={1}
        step={0.05}
        format={(v) => `${Math.round(v * 100)} %`}
        hint="Higher hears quiet speech; lower ignores background noise. It is raised while the agent speaks."
      />
    </section>
  );
}

import { useEffect } from 'react';
import { useIsConnected } from '../../connection';
import { loadProviders } from '../models/providers-store';
import { ActivityCard } from './ActivityCard';
import { MicrophoneCard } from './MicrophoneCard';
import { ModelManager } from './ModelManager';
import { RecognitionCard } from './RecognitionCard';
import { followModelProgress, loadSpeechModels } from './speech-models-store';
import { SynthesisCard } from './SynthesisCard';

// Subscribed for the app's lifetime, not the panel's: a download goes on while another panel is shown.
followModelProgress();

/** Microphone, speech recognition and synthesis, voice activity, and the speech model manager. */
export function VoicePanel() {
  const connected = useIsConnected();

  useEffect(() => {
    if (!connected) return;
    void loadSpeechModels();
    void loadProviders();
  }, [connected]);

  return (
    <section className="panel voice-panel" aria-labelledby="voice-title">
      <header className="panel-header">
        <h1 id="voice-title">Voice</h1>
      </header>
      {!connected && <p className="empty-state">Connecting to the backend… voice settings appear once it answers.</p>}
      <div className="voice-grid">
        <MicrophoneCard />
        <RecognitionCard />
        <SynthesisCard />
        <ActivityCard />
      </div>
      <ModelManager />
    </section>
  );
}

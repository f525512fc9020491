import { topics } from '#protocol';
import { useIsConnected } from '../../connection';
import { queryKeys, useReloadOnShow, useTopic } from '../../server-state';
import { ActivityCard } from './ActivityCard';
import { MicrophoneCard } from './MicrophoneCard';
import { ModelManager } from './ModelManager';
import { RecognitionCard } from './RecognitionCard';
import { SynthesisCard } from './SynthesisCard';

/** Microphone, speech recognition and synthesis, voice activity, and the speech model manager. */
export function VoicePanel() {
  const connected = useIsConnected();

  // While shown: download progress (a running download also holds it itself, see followDownload).
  useTopic(topics.speechModels);
  // The remote engines' pickers list the providers, which another window may have changed.
  useReloadOnShow(queryKeys.providers);

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

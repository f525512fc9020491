import { useSettingsStore } from '../settings/settings-store';
import { VoicePlayer } from './playback';
import { useVoiceStore } from './voice-store';

let player: VoicePlayer | null = null;

/** The one player, for the agent's voice and the Voice panel's preview; it follows the volume setting. */
export function sharedPlayer(): VoicePlayer {
  if (!player) {
    const created = new VoicePlayer((playing) => useVoiceStore.setState({ playing }));
    created.setVolume(useSettingsStore.getState().settings['voice.tts.volume']);
    useSettingsStore.subscribe((state, previous) => {
      const volume = state.settings['voice.tts.volume'];
      if (volume !== previous.settings['voice.tts.volume']) created.setVolume(volume);
    });
    player = created;
  }
  return player;
}

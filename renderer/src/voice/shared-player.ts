import { getSetting } from '../settings';
import { VoicePlayer } from './playback';
import { useVoiceStore } from './voice-store';

let player: VoicePlayer | null = null;

/** The one player, for the agent's voice and the Voice panel's preview (its volume: useFollowVolumeSetting). */
export function sharedPlayer(): VoicePlayer {
  if (!player) {
    player = new VoicePlayer((playing) => useVoiceStore.setState({ playing }));
    player.setVolume(getSetting('voice.tts.volume'));
  }
  return player;
}

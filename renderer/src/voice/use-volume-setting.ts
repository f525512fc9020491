import { useEffect } from 'react';
import { useSetting } from '../settings';
import { sharedPlayer } from './shared-player';

/** While shown, the player follows the volume setting (changed here, in another tab or window). */
export function useFollowVolumeSetting(): void {
  const volume = useSetting('voice.tts.volume');
  useEffect(() => sharedPlayer().setVolume(volume), [volume]);
}

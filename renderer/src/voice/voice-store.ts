import { create } from 'zustand';
import { voiceModeSchema, type VoiceMode } from '#protocol';
import { pcm16LevelDbfs, SILENCE_DBFS, smoothLevel } from './dsp/level';
import { initialVoiceView, type VoiceView } from './voice-view';

/** Push-to-talk or hands-free is a habit of this machine's user, like the microphone. */
const MODE_KEY = 'parley.voice.mode';

export function storedVoiceMode(): VoiceMode {
  try {
    return voiceModeSchema.catch('push-to-talk').parse(localStorage.getItem(MODE_KEY));
  } catch {
    return 'push-to-talk';
  }
}

export function rememberVoiceMode(mode: VoiceMode): void {
  try {
    localStorage.setItem(MODE_KEY, mode);
  } catch {
    // Storage can be disabled; the mode then lasts for this page only.
  }
}

export const useVoiceStore = create<VoiceView>(() => initialVoiceView(storedVoiceMode()));

interface MicLevel {
  /** Smoothed RMS level, dBFS. */
  db: number;
  at: number;
}

/** Apart from the voice store: it changes ~30 times a second and only the meters read it. */
export const useMicLevelStore = create<MicLevel>(() => ({ db: SILENCE_DBFS, at: 0 }));

export function meterChunk(pcm: Int16Array): void {
  const now = performance.now();
  const { db, at } = useMicLevelStore.getState();
  useMicLevelStore.setState({ db: smoothLevel(db, pcm16LevelDbfs(pcm), at === 0 ? 0 : now - at), at: now });
}

export function resetMicLevel(): void {
  useMicLevelStore.setState({ db: SILENCE_DBFS, at: 0 });
}

import { ParleyError } from '#protocol';
import { applyGain, type Pcm16Audio } from '#audio';

/** The range every engine accepts; the `voice.tts.speed` setting is narrower (0.5-2). */
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

export function checkSpeed(speed: number | undefined): number {
  const value = speed ?? 1;
  if (!Number.isFinite(value) || value < MIN_SPEED || value > MAX_SPEED) {
    throw new ParleyError('invalid_params', `Speech speed must be between ${MIN_SPEED} and ${MAX_SPEED}, not ${speed}`);
  }
  return value;
}

export function checkVolume(volume: number | undefined): number {
  const value = volume ?? 1;
  if (!Number.isFinite(value) || value < 0 || value > 4) throw new ParleyError('invalid_params', `Speech volume must be between 0 and 4, not ${volume}`);
  return value;
}

export function withVolume(audio: Pcm16Audio, volume: number): Pcm16Audio {
  return volume === 1 ? audio : { pcm: applyGain(audio.pcm, volume), sampleRate: audio.sampleRate };
}

/** Throws the signal's reason (an AbortError by default) if it has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

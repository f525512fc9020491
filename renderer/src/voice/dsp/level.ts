import { rms } from '#audio';

/** What the meter shows for silence, and its floor. */
export const SILENCE_DBFS = -90;
/** How fast the meter falls back; it rises at once so short peaks still show. */
const RELEASE_MS = 300;

/** RMS level of PCM16 samples in dB relative to full scale (a full-scale square wave is 0 dBFS). */
export function pcm16LevelDbfs(pcm: Int16Array): number {
  if (pcm.length === 0) return SILENCE_DBFS;
  return Math.max(SILENCE_DBFS, 20 * Math.log10(rms(pcm)));
}

/** Instant attack, exponential release: the meter's displayed level after `elapsedMs`. */
export function smoothLevel(previousDb: number, currentDb: number, elapsedMs: number): number {
  if (currentDb >= previousDb) return currentDb;
  const keep = Math.exp(-Math.max(0, elapsedMs) / RELEASE_MS);
  return currentDb + (previousDb - currentDb) * keep;
}

/** Position of a level on a meter from `floorDb` (0) to 0 dBFS (1). */
export function meterFraction(db: number, floorDb = -60): number {
  return Math.max(0, Math.min(1, (db - floorDb) / -floorDb));
}

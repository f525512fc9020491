/** How far the onset threshold rises while the agent's own voice may leak back into the mic. */
export const PLAYBACK_THRESHOLD_RAISE = 0.2;
/** The raised threshold never goes above this, or nothing could interrupt the agent. */
export const MAX_POSITIVE_THRESHOLD = 0.95;
/** Hysteresis: speech continues until the probability falls this far below the onset threshold. */
export const HYSTERESIS = 0.15;

export interface VadThresholds {
  /** A window at or above this is speech; onsets need {@link VadOptions.minSpeechMs} of them. */
  positive: number;
  /** A window below this is silence; {@link VadOptions.silenceMs} of it ends an utterance. */
  negative: number;
}

/**
 * Sensitivity (setting 'voice.vad.sensitivity', 0..1) to probability thresholds: 0 hears only clear,
 * loud speech (0.8), 0.5 is Silero's usual 0.55, 1 hears whispers (0.3). While the agent plays
 * audio the onset threshold rises by 0.2 (capped at 0.95) so its echo does not count as the user.
 */
export function vadThresholds(sensitivity: number, playbackActive: boolean): VadThresholds {
  const s = Number.isFinite(sensitivity) ? Math.min(1, Math.max(0, sensitivity)) : 0.5;
  const base = 0.3 + (1 - s) * 0.5;
  const positive = playbackActive ? Math.min(MAX_POSITIVE_THRESHOLD, base + PLAYBACK_THRESHOLD_RAISE) : base;
  return { positive, negative: positive - HYSTERESIS };
}

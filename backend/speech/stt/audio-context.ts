import { CAPTURE_SAMPLE_RATE } from '#protocol';

/**
 * Whisper's encoder always sees a 30 s window (1500 positions: mel frames at 100 Hz, halved by a
 * stride-2 convolution), so a 3 s utterance pays for 30 s of attention. whisper.cpp's audio_ctx
 * encodes only the first N positions; N must cover the utterance, so it is its length in
 * positions plus a margin for the speech's tail and the mel window's edge.
 */
export const ENCODER_POSITIONS_PER_SECOND = 50;
export const AUDIO_CONTEXT_MARGIN = 64;

/** The audio_ctx for an utterance of `sampleCount` 16 kHz samples, capped at the model's own. */
export function audioContextFor(sampleCount: number, modelAudioContext = 1500): number {
  const seconds = sampleCount / CAPTURE_SAMPLE_RATE;
  return Math.min(modelAudioContext, Math.ceil(seconds * ENCODER_POSITIONS_PER_SECOND) + AUDIO_CONTEXT_MARGIN);
}

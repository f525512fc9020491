import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';

/** Longer audio is refused: a voice turn is seconds long, and whisper's cost grows with every 30 s. */
export const DEFAULT_MAX_AUDIO_SECONDS = 300;

/**
 * A peak under -60 dBFS is silence (or a muted microphone). Whisper does not answer silence with
 * nothing: it hallucinates ("Thank you."), so silence never reaches the model.
 */
const SILENCE_PEAK = 0.001;

/** whisper.cpp ignores input under 100 ms ("input is too short") and returns nothing. */
const MIN_SPEECH_SAMPLES = CAPTURE_SAMPLE_RATE / 10;

/**
 * What an engine does with an utterance before any model sees it: 'nothing-to-hear' (empty, silent
 * or under 100 ms) means an empty transcript, 'transcribe' means go on. Throws for audio that is
 * not audio (NaN or infinite samples) and for audio over `maxSeconds`.
 */
export function inspectUtterance(pcm: Float32Array, maxSeconds: number): 'nothing-to-hear' | 'transcribe' {
  if (!(pcm instanceof Float32Array)) throw new ParleyError('invalid_params', 'Audio must be 16 kHz mono samples in a Float32Array');
  const seconds = pcm.length / CAPTURE_SAMPLE_RATE;
  if (seconds > maxSeconds) {
    throw new ParleyError('payload_too_large', `The utterance is ${formatSeconds(seconds)} long; at most ${formatSeconds(maxSeconds)} can be transcribed at once`, {
      hint: 'Speak in shorter turns, or raise the maximum utterance length.',
      details: { seconds, maxSeconds },
    });
  }
  let peak = 0;
  for (let index = 0; index < pcm.length; index++) {
    const sample = pcm[index]!;
    if (!Number.isFinite(sample)) {
      throw new ParleyError('invalid_params', `The audio has a ${Number.isNaN(sample) ? 'NaN' : 'non-finite'} sample at ${(index / CAPTURE_SAMPLE_RATE).toFixed(3)} s`, {
        hint: 'The capture produced invalid samples; check the microphone or the audio pipeline.',
        details: { index },
      });
    }
    const magnitude = Math.abs(sample);
    if (magnitude > peak) peak = magnitude;
  }
  if (pcm.length < MIN_SPEECH_SAMPLES || peak < SILENCE_PEAK) return 'nothing-to-hear';
  return 'transcribe';
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

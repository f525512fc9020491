import type { FloatAudio } from './audio-types';
import { Resampler } from './resampler';

/**
 * A whole clip to another rate, with the streaming {@link Resampler}: round(length × to / from)
 * samples, the first one at the first input sample's time (no delay), edges held rather than faded.
 */
export function resample(audio: FloatAudio, targetRate: number): FloatAudio {
  if (!Number.isFinite(targetRate) || targetRate <= 0) throw new RangeError(`Invalid target sample rate: ${targetRate}`);
  if (audio.sampleRate === targetRate || audio.samples.length === 0) return { samples: audio.samples, sampleRate: targetRate };
  const resampler = new Resampler({ inputRate: audio.sampleRate, outputRate: targetRate });
  const expected = Math.max(1, Math.round((audio.samples.length * targetRate) / audio.sampleRate));
  const output = new Float32Array(resampler.maxOutputFor(audio.samples.length) + resampler.maxFlushOutput());
  let written = resampler.process(audio.samples, output);
  written += resampler.flush(output.subarray(written));
  // The flush covers the kernel's reach past the end, which is always at least `expected`.
  return { samples: output.slice(0, Math.min(expected, written)), sampleRate: targetRate };
}

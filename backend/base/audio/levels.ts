import { INT16_SCALE } from './pcm16';

/** Scales PCM16 by a linear gain (1 leaves it as it is), clipping at full scale. */
export function applyGain(pcm: Int16Array, gain: number): Int16Array {
  if (gain === 1) return pcm;
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i]! * gain)));
  return out;
}

/** Root mean square on the [-1, 1] scale (PCM16 read as in pcm16ToFloat): about 0.1 for speech, 0 for silence. */
export function rms(samples: Float32Array | Int16Array): number {
  if (samples.length === 0) return 0;
  const scale = samples instanceof Int16Array ? 1 / INT16_SCALE : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i]! * scale) ** 2;
  return Math.sqrt(sum / samples.length);
}

/** Averages interleaved frames of `channels` samples into one channel. */
export function downmixToMono(interleaved: Float32Array, channels: number): Float32Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += interleaved[frame * channels + channel]!;
    mono[frame] = sum / channels;
  }
  return mono;
}

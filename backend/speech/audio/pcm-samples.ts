import type { FloatAudio, Pcm16Audio } from './audio-types';

/** PCM16 → floats in [-1, 1). */
export function pcm16ToFloat(pcm: Int16Array): Float32Array {
  const samples = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 32768;
  return samples;
}

/** Floats → PCM16, clipping anything outside [-1, 1] rather than wrapping around. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    pcm[i] = value >= 1 ? 32767 : value <= -1 ? -32768 : Math.round(value * 32768);
  }
  return pcm;
}

export function toFloatAudio(audio: Pcm16Audio): FloatAudio {
  return { samples: pcm16ToFloat(audio.pcm), sampleRate: audio.sampleRate };
}

export function toPcm16Audio(audio: FloatAudio): Pcm16Audio {
  return { pcm: floatToPcm16(audio.samples), sampleRate: audio.sampleRate };
}

/** Scales PCM16 by a linear gain (1 leaves it as it is), clipping at full scale. */
export function applyGain(pcm: Int16Array, gain: number): Int16Array {
  if (gain === 1) return pcm;
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i]! * gain)));
  return out;
}

/** Root mean square on the [-1, 1] scale: about 0.1 for normal speech, 0 for digital silence. */
export function rms(samples: Float32Array | Int16Array): number {
  if (samples.length === 0) return 0;
  const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i]! * scale) ** 2;
  return Math.sqrt(sum / samples.length);
}

export function durationSeconds(audio: Pcm16Audio | FloatAudio): number {
  const length = 'pcm' in audio ? audio.pcm.length : audio.samples.length;
  return length / audio.sampleRate;
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

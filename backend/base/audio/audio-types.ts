/**
 * The two shapes audio takes inside Parley, both mono. PCM16 is what engines produce and the wire
 * carries; floats in [-1, 1] are what processing (resampling, gain, encoding) works on.
 */
export interface Pcm16Audio {
  pcm: Int16Array;
  sampleRate: number;
}

export interface FloatAudio {
  samples: Float32Array;
  sampleRate: number;
}

export function durationSeconds(audio: Pcm16Audio | FloatAudio): number {
  const length = 'pcm' in audio ? audio.pcm.length : audio.samples.length;
  return length / audio.sampleRate;
}

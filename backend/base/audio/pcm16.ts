import type { FloatAudio, Pcm16Audio } from './audio-types';

/**
 * Parley's one int16 ↔ float convention: float = int16 / 32768, int16 = clamp(round(float × 32768)).
 *
 * Why 32768 both ways: it is the only scale under which every int16 survives int16 → float → int16
 * unchanged (the console's PCM16 goes through floats for resampling, the VAD and whisper and must
 * come back bit-exact), and it is what libopus, whisper.cpp, the WAV reader and most of Parley
 * already used. Its one cost: +1.0 lands one step past the largest int16 and is clipped to 32767,
 * which is inaudible. The asymmetric alternative (× 32767 above zero, × 32768 below) maps ±1 to
 * both ends exactly but does not round-trip and has a kink at zero.
 */
export const INT16_SCALE = 32768;

/** PCM16 → floats in [-1, 1). `into` lets a worklet reuse its buffer. */
export function pcm16ToFloat(pcm: Int16Array, into = new Float32Array(pcm.length)): Float32Array {
  for (let i = 0; i < pcm.length; i++) into[i] = pcm[i]! / INT16_SCALE;
  return into;
}

/**
 * Floats → PCM16, clipping what lies outside [-1, 1] rather than wrapping round; NaN becomes 0.
 * `length` and `into` let a worklet convert part of a reused buffer.
 */
export function floatToPcm16(samples: Float32Array, length = samples.length, into = new Int16Array(length)): Int16Array {
  for (let i = 0; i < length; i++) {
    const scaled = Math.round(samples[i]! * INT16_SCALE);
    into[i] = scaled >= 32767 ? 32767 : scaled <= -32768 ? -32768 : scaled || 0;
  }
  return into;
}

export function toFloatAudio(audio: Pcm16Audio): FloatAudio {
  return { samples: pcm16ToFloat(audio.pcm), sampleRate: audio.sampleRate };
}

export function toPcm16Audio(audio: FloatAudio): Pcm16Audio {
  return { pcm: floatToPcm16(audio.samples), sampleRate: audio.sampleRate };
}

/** Little-endian PCM16 bytes (a frame payload, an `audio/pcm` body) → samples; an odd last byte is ignored. */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  // DataView rather than a typed-array view: the byte offset may be odd and the platform big-endian.
  const samples = new Int16Array(bytes.byteLength >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, samples.length * 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** Samples → little-endian PCM16 bytes, whatever the platform's byte order. */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

import { CAPTURE_SAMPLE_RATE } from '#protocol';

/**
 * Float samples in [-1, 1] to signed 16-bit, clipped (a sample just over 1 must not wrap round).
 * The same scale as toFloat32, so the console's PCM16 goes through floats and back unchanged.
 */
export function toInt16(pcm: Float32Array): Int16Array {
  const out = new Int16Array(pcm.length);
  for (let index = 0; index < pcm.length; index++) {
    out[index] = Math.max(-32768, Math.min(32767, Math.round(pcm[index]! * 32768)));
  }
  return out;
}

export function toFloat32(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let index = 0; index < pcm.length; index++) out[index] = pcm[index]! / 32768;
  return out;
}

const WAV_HEADER_BYTES = 44;

/** A canonical RIFF/WAVE file: PCM, mono, 16-bit: what whisper.cpp and every transcription API read. */
export function encodeWav(pcm: Float32Array, sampleRate = CAPTURE_SAMPLE_RATE): Buffer {
  const samples = toInt16(pcm);
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  Buffer.from(samples.buffer, samples.byteOffset, dataBytes).copy(wav, WAV_HEADER_BYTES);
  return wav;
}

/** Float samples in [-1, 1] to 16-bit signed PCM, clipping what lies outside. */
export function floatToPcm16(samples: Float32Array, length = samples.length, into = new Int16Array(length)): Int16Array {
  for (let i = 0; i < length; i++) {
    const clipped = Math.max(-1, Math.min(1, samples[i]!));
    into[i] = Math.round(clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff);
  }
  return into;
}

export function pcm16ToFloat(pcm: Int16Array, into = new Float32Array(pcm.length)): Float32Array {
  for (let i = 0; i < pcm.length; i++) into[i] = pcm[i]! / 0x8000;
  return into;
}

/** The little-endian PCM16 samples of a frame payload (its byte offset may be odd, so no plain view). */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.byteLength >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, samples.length * 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** The bytes of PCM16 samples, little endian whatever the platform. */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

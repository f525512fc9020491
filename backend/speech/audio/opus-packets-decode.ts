import { AudioFormatError, downmixToMono, pcm16ToFloat } from '#audio';
import { OpusDecoder } from './opus-codec';
import type { OpusHead } from './opus-headers';

export interface OpusPacket {
  data: Uint8Array;
  /** 48 kHz samples to drop from the end of this packet's output (Matroska's DiscardPadding). */
  discardEndSamples?: number;
}

/** Mono and stereo only: surround needs a multistream decoder that opusscript does not expose. */
export function checkOpusChannelLayout(head: OpusHead): asserts head is OpusHead & { channels: 1 | 2 } {
  if (head.channels < 1 || head.channels > 2 || head.mappingFamily > 1) {
    throw new AudioFormatError('opus', `Unsupported Opus channel layout: ${head.channels} channels, mapping family ${head.mappingFamily}`);
  }
}

/**
 * The audio packets of one Opus stream, whatever carried them (Ogg pages, Matroska blocks) → mono
 * floats at 48 kHz, untrimmed: the caller knows where the stream really starts and ends.
 */
export function decodeOpusPackets(packets: readonly OpusPacket[], channels: 1 | 2): Float32Array {
  const decoder = new OpusDecoder(channels);
  const chunks: Int16Array[] = [];
  let decoded = 0;
  try {
    for (const packet of packets) {
      let pcm = decoder.decode(packet.data);
      const discard = Math.min(packet.discardEndSamples ?? 0, pcm.length / channels);
      if (discard > 0) pcm = pcm.subarray(0, pcm.length - discard * channels);
      chunks.push(pcm);
      decoded += pcm.length;
    }
  } catch (error) {
    throw new AudioFormatError('opus', `Corrupt Opus audio: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.destroy();
  }
  const interleaved = new Int16Array(decoded);
  let at = 0;
  for (const chunk of chunks) {
    interleaved.set(chunk, at);
    at += chunk.length;
  }
  return downmixToMono(pcm16ToFloat(interleaved), channels);
}

/** Drops the encoder's lookahead and anything past `end`, then applies OpusHead's output gain. */
export function trimOpusOutput(mono: Float32Array, head: Pick<OpusHead, 'outputGainQ8'>, preSkip: number, end = mono.length): Float32Array {
  const stop = Math.min(Math.max(end, 0), mono.length);
  const samples = mono.slice(Math.min(preSkip, stop), stop);
  if (head.outputGainQ8 !== 0) {
    const gain = 10 ** (head.outputGainQ8 / 256 / 20);
    for (let i = 0; i < samples.length; i++) samples[i] = samples[i]! * gain;
  }
  return samples;
}

import { randomInt } from 'node:crypto';
import { type FloatAudio, floatToPcm16, resample } from '#audio';
import { OggPageWriter } from './ogg-page-writer';
import { OpusEncoder } from './opus-codec';
import { buildOpusHead, buildOpusTags } from './opus-headers';

const OPUS_RATE = 48_000;
const FRAME_SAMPLES = 960; // 20 ms, what voice apps use
/** Pages of about a second: small enough to seek and stream, large enough to keep overhead low. */
const PACKETS_PER_PAGE = 50;
const VENDOR = 'Parley (libopus 1.4)';

export interface OggOpusOptions {
  /** Bits per second. 24 kbps keeps a minute of speech near 180 KB (WhatsApp plays voice notes up to 512 KB). */
  bitrate?: number;
  /**
   * libopus complexity 0-10. 5 by default: about 1.5× faster than 10 (~12 ms per second of audio
   * here, on this thread) for a small loss that matters little for speech at voice-note bitrates.
   */
  complexity?: number;
  /** Fixed stream serial number, for reproducible output in tests; random otherwise, as RFC 3533 asks. */
  serial?: number;
}

/**
 * Mono audio at any rate → an Ogg Opus file (RFC 7845): mono, 48 kHz, 20 ms packets, OpusHead and
 * OpusTags on pages of their own, granule positions that let a decoder trim the encoder's delay
 * (pre-skip) and the padding of the last frame. What WhatsApp accepts as a voice note
 * (`audio/ogg; codecs=opus`) and what `/v1/audio/speech` answers for `response_format: "opus"`.
 */
export function encodeOggOpus(audio: FloatAudio, options: OggOpusOptions = {}): Uint8Array {
  if (audio.samples.length === 0) throw new RangeError('Nothing to encode: the audio has no samples');
  const pcm = floatToPcm16(resample(audio, OPUS_RATE).samples);
  const encoder = new OpusEncoder({ sampleRate: OPUS_RATE, channels: 1, bitrate: options.bitrate ?? 24_000, application: 'voip', complexity: options.complexity ?? 5 });
  try {
    const preSkip = encoder.lookahead();
    const writer = new OggPageWriter(options.serial ?? randomInt(0, 2 ** 32));
    writer.writePacket(buildOpusHead({ channels: 1, preSkip, inputSampleRate: audio.sampleRate }), 0n);
    writer.flushPage();
    writer.writePacket(buildOpusTags(VENDOR, ['ENCODER=Parley']), 0n);
    writer.flushPage();

    // The encoder's output lags its input by preSkip samples: feed that much silence after the audio
    // so its last real sample comes out, then mark the true end in the last granule position.
    const total = pcm.length + preSkip;
    const frames = Math.ceil(total / FRAME_SAMPLES);
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let index = 0; index < frames; index++) {
      const start = index * FRAME_SAMPLES;
      frame.fill(0);
      if (start < pcm.length) frame.set(pcm.subarray(start, Math.min(start + FRAME_SAMPLES, pcm.length)));
      const last = index === frames - 1;
      const granule = last ? BigInt(total) : BigInt(start + FRAME_SAMPLES);
      writer.writePacket(encoder.encode(frame), granule, { endOfStream: last });
      if ((index + 1) % PACKETS_PER_PAGE === 0) writer.flushPage();
    }
    return writer.bytes();
  } finally {
    encoder.destroy();
  }
}

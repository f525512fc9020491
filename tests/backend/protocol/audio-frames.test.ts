import { describe, expect, it } from 'vitest';
import { AUDIO_FRAME_HEADER_BYTES, AUDIO_FRAME_VERSION, AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from '#protocol';

function pcm(samples: number[]): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, index) => view.setInt16(index * 2, sample, true));
  return bytes;
}

describe('audio frames', () => {
  it('round-trips kind, stream id and PCM payload through encode and decode', () => {
    const payload = pcm([0, 1, -1, 32767, -32768, 1234]);
    const encoded = encodeAudioFrame({ kind: AudioFrameKind.playbackPcm, streamId: 0xfedc_ba98, payload });

    expect(encoded.byteLength).toBe(AUDIO_FRAME_HEADER_BYTES + payload.byteLength);
    expect(encoded[0]).toBe(AUDIO_FRAME_VERSION);
    expect(encoded[1]).toBe(AudioFrameKind.playbackPcm);
    // Little-endian stream id at offset 4.
    expect([...encoded.subarray(4, 8)]).toEqual([0x98, 0xba, 0xdc, 0xfe]);

    const decoded = decodeAudioFrame(encoded);
    expect(decoded).not.toBeNull();
    expect(decoded?.kind).toBe(AudioFrameKind.playbackPcm);
    expect(decoded?.streamId).toBe(0xfedc_ba98);
    expect([...(decoded?.payload ?? [])]).toEqual([...payload]);
  });

  it('decodes a frame that sits at an offset inside a larger buffer (as ws hands them over)', () => {
    const encoded = encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 7, payload: pcm([10, -10]) });
    const pool = new Uint8Array(encoded.byteLength + 13);
    pool.set(encoded, 13);
    const decoded = decodeAudioFrame(pool.subarray(13));
    expect(decoded).toEqual({ kind: AudioFrameKind.capturePcm, streamId: 7, payload: pcm([10, -10]) });
  });

  it('accepts an empty payload (a header alone)', () => {
    const decoded = decodeAudioFrame(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 1, payload: new Uint8Array() }));
    expect(decoded?.payload.byteLength).toBe(0);
  });

  it('rejects frames shorter than the header', () => {
    for (let length = 0; length < AUDIO_FRAME_HEADER_BYTES; length += 1) {
      const bytes = new Uint8Array(length);
      if (length > 0) bytes[0] = AUDIO_FRAME_VERSION;
      if (length > 1) bytes[1] = AudioFrameKind.capturePcm;
      expect(decodeAudioFrame(bytes), `length ${length}`).toBeNull();
    }
  });

  it('rejects unknown kinds and other versions', () => {
    const good = encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 3, payload: pcm([1]) });
    for (const kind of [0, 3, 255]) {
      const bytes = good.slice();
      bytes[1] = kind;
      expect(decodeAudioFrame(bytes), `kind ${kind}`).toBeNull();
    }
    for (const version of [0, AUDIO_FRAME_VERSION + 1]) {
      const bytes = good.slice();
      bytes[0] = version;
      expect(decodeAudioFrame(bytes), `version ${version}`).toBeNull();
    }
    expect(decodeAudioFrame(good)).not.toBeNull();
  });
});

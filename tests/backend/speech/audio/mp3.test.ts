import { Mp3Encoder } from '@breezystack/lamejs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudioFormatError, floatToPcm16, rms } from '#audio';
import { decodeAudioFile, decodeMp3, parseMpegFrameHeader, scanMpegFrames, sniffAudioContainer } from '../../../../backend/speech/audio';
import { sine, zeroCrossingFrequency } from './audio-tools';

/**
 * MP3 fixtures made at test time by lamejs (a pure-JS port of LAME, a devDependency): no Debian
 * encoder needed. It writes no LAME/Xing header, so the decoded audio keeps the encoder delay and
 * the last frame's padding: a little longer than the source, by less than three frames.
 */
function encodeMp3(channels: 1 | 2, sampleRate: number, kbps: number, left: Float32Array, right?: Float32Array): Uint8Array {
  const encoder = new Mp3Encoder(channels, sampleRate, kbps);
  const l = floatToPcm16(left);
  const r = right ? floatToPcm16(right) : l;
  const parts: Uint8Array[] = [];
  const keep = (chunk: Uint8Array) => parts.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
  for (let at = 0; at < l.length; at += 1152) keep(channels === 1 ? encoder.encodeBuffer(l.subarray(at, at + 1152)) : encoder.encodeBuffer(l.subarray(at, at + 1152), r.subarray(at, at + 1152)));
  keep(encoder.flush());
  return Buffer.concat(parts);
}

function middle(samples: Float32Array, sampleRate: number): Float32Array {
  return samples.subarray(Math.round(sampleRate * 0.2), samples.length - Math.round(sampleRate * 0.2));
}

async function expectFormatError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected an AudioFormatError matching ${message}`).toBeInstanceOf(AudioFormatError);
  expect((error as Error).message).toMatch(message);
}

/** An ID3v2.4 tag with one text frame, as tag editors put in front of an MP3. */
function id3v2(title: string): Uint8Array {
  const frameBody = Buffer.concat([Uint8Array.of(3), Buffer.from(title, 'utf8')]);
  const frame = Buffer.concat([Buffer.from('TIT2'), Uint8Array.of(0, 0, 0, frameBody.length, 0, 0), frameBody]);
  const size = frame.length + 20; // 20 bytes of padding inside the tag
  return Buffer.concat([Buffer.from('ID3'), Uint8Array.of(4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f), frame, new Uint8Array(20)]);
}

const cases = [
  { name: 'mono 16 kHz 32 kbps (MPEG-2, speech)', channels: 1, rate: 16000, kbps: 32 },
  { name: 'stereo 44.1 kHz 128 kbps (MPEG-1, music)', channels: 2, rate: 44100, kbps: 128 },
  { name: 'mono 8 kHz 16 kbps (MPEG-2.5, telephony)', channels: 1, rate: 8000, kbps: 16 },
] as const;

describe('MP3 decoding', () => {
  it.each(cases)('$name: rate, length, pitch and level survive', async ({ channels, rate, kbps }) => {
    const seconds = 2;
    const left = sine(440, rate, seconds, 0.5);
    // Stereo: the same tone on both sides, the right at half level; the mono average is 0.375.
    const mp3 = encodeMp3(channels, rate, kbps, left, channels === 2 ? sine(440, rate, seconds, 0.25) : undefined);
    expect(sniffAudioContainer(mp3)).toBe('mp3');
    const stream = scanMpegFrames(mp3);
    expect(stream.first).toMatchObject({ layer: 3, sampleRate: rate, channels });

    const decoded = await decodeMp3(mp3);
    expect(decoded.sampleRate).toBe(rate);
    expect(decoded.samples.length).toBeGreaterThanOrEqual(left.length);
    expect(decoded.samples.length - left.length).toBeLessThan(3 * stream.first.samplesPerFrame);
    expect(decoded.samples.length).toBe(stream.frames * stream.first.samplesPerFrame);
    const steady = middle(decoded.samples, rate);
    expect(Math.abs(zeroCrossingFrequency(steady, rate) - 440)).toBeLessThan(2);
    const amplitude = channels === 2 ? 0.375 : 0.5;
    expect(rms(steady) / (amplitude / Math.SQRT2)).toBeGreaterThan(0.9);
    expect(rms(steady) / (amplitude / Math.SQRT2)).toBeLessThan(1.1);
  });

  it('skips ID3v2 tags in front and ID3v1/APE tags behind, and is what decodeAudioFile picks', async () => {
    const mp3 = encodeMp3(1, 16000, 32, sine(440, 16000, 1, 0.5));
    const id3v1 = Buffer.concat([Buffer.from('TAG'), new Uint8Array(125)]);
    const ape = Buffer.concat([Buffer.from('APETAGEX'), new Uint8Array(24)]);
    const tagged = Buffer.concat([id3v2('A voice note'), mp3, ape, id3v1]);
    expect(sniffAudioContainer(tagged)).toBe('mp3');
    const plain = await decodeMp3(mp3);
    const fromTagged = await decodeAudioFile(tagged);
    expect(fromTagged.samples.length).toBe(plain.samples.length);
    expect(Buffer.from(fromTagged.samples.buffer).equals(Buffer.from(plain.samples.buffer))).toBe(true);
  });

  it('parses frame headers of every MPEG version and layer, and rejects reserved ones', () => {
    // MPEG-1 Layer III 128 kbps 44.1 kHz, no padding: 417 bytes; with padding 418.
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0x90, 0x00), 0)).toMatchObject({ version: 1, layer: 3, bitrateKbps: 128, sampleRate: 44100, frameBytes: 417, channels: 2 });
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0x92, 0xc0), 0)).toMatchObject({ frameBytes: 418, channels: 1 });
    // MPEG-1 Layer II 192 kbps 48 kHz: 576 bytes. Layer I 384 kbps 48 kHz: 384 bytes.
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfd, 0xa4, 0x00), 0)).toMatchObject({ layer: 2, frameBytes: 576, samplesPerFrame: 1152 });
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xff, 0xc4, 0x00), 0)).toMatchObject({ layer: 1, frameBytes: 384, samplesPerFrame: 384 });
    // MPEG-2 Layer III 32 kbps 16 kHz: 144 bytes, 576 samples.
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xf3, 0x48, 0xc0), 0)).toMatchObject({ version: 2, frameBytes: 144, samplesPerFrame: 576 });
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0x00, 0x00), 0)).toBeUndefined(); // free format
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0xf0, 0x00), 0)).toBeUndefined(); // bitrate 15
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0x9c, 0x00), 0)).toBeUndefined(); // rate 3
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xeb, 0x90, 0x00), 0)).toBeUndefined(); // version 01
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xf1, 0x50, 0x80), 0)).toBeUndefined(); // ADTS AAC: layer 00
  });
});

describe('bad MP3 data', () => {
  const mp3 = encodeMp3(1, 16000, 32, sine(440, 16000, 1, 0.5));
  afterEach(() => vi.restoreAllMocks());

  it('says what is wrong', async () => {
    const first = scanMpegFrames(mp3).first;
    await expectFormatError(decodeMp3(new Uint8Array(0)), /empty/);
    await expectFormatError(decodeMp3(mp3.subarray(0, mp3.length - 10)), /truncated: the frame at byte \d+ needs 144 bytes, 134 are there/);
    await expectFormatError(decodeMp3(mp3.subarray(0, first.frameBytes + 2)), /truncated: 2 bytes of a frame header/);
    await expectFormatError(decodeMp3(id3v2('nothing else')), /an ID3 tag and no audio frames/);
    await expectFormatError(decodeMp3(id3v2('cut').subarray(0, 20)), /truncated inside its ID3v2 tag/);
    await expectFormatError(decodeMp3(Buffer.concat([id3v2('then junk'), Buffer.from('not audio at all')])), /no MPEG audio frame header at byte/);
    const spliced = Buffer.concat([mp3.subarray(0, 3 * first.frameBytes), Buffer.from('junk'), mp3.subarray(3 * first.frameBytes)]);
    await expectFormatError(decodeMp3(spliced), new RegExp(`Corrupt MP3 data: no frame header at byte ${3 * first.frameBytes}, where frame 4 should start`));
  });

  it('never throws anything but AudioFormatError on damaged files, never hangs, and keeps the decoder quiet', async () => {
    const errors = vi.spyOn(console, 'error');
    let seed = 777;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let decoded = 0;
    for (let round = 0; round < 60; round++) {
      const damaged = Buffer.from(mp3);
      for (let flips = 0; flips < 1 + (round % 10); flips++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      try {
        await decodeMp3(damaged);
        decoded++;
      } catch (error) {
        expect(error).toBeInstanceOf(AudioFormatError);
      }
    }
    // Noise in frame bodies is decodable (MP3 has no checksum); a hit header is refused.
    expect(decoded).toBeGreaterThan(0);
    // Random bytes behind a plausible frame header: refused before the decoder guesses at them.
    const junk = Buffer.concat([Uint8Array.of(0xff, 0xfb, 0x90, 0x64), Uint8Array.from({ length: 20_000 }, () => Math.floor(random() * 256))]);
    await expectFormatError(decodeMp3(junk), /Corrupt MP3 data/);
    expect(errors).not.toHaveBeenCalled();
  });
});

import { OggOpusDecoder } from 'ogg-opus-decoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioFormatError, encodeWav, resample, rms, type FloatAudio } from '#audio';
import { decodeAudioFile, decodeOggOpus, encodeOggOpus, OggPageWriter, oggCrc32, readOggStreams } from '../../../../backend/speech/audio';
import { buildOpusHead } from '../../../../backend/speech/audio/opus-headers';
import { correlation, seededRandom, sine, snrDb, speechLike } from '../../base/audio/signals';
import { encodeOpusPackets } from './webm-writer';

/** Voiced-speech-like audio at TTS's 22.05 kHz: harmonics, formants and syllables for the codec to carry. */
function speech(seconds = 3): FloatAudio {
  return { samples: speechLike(22050, seconds), sampleRate: 22050 };
}

/**
 * libopus's reference decoding of an Ogg Opus file, as a second opinion on Parley's: ogg-opus-decoder
 * is libopus 1.5 compiled to WASM behind its own Ogg parser (codec-parser), trimming pre-skip and
 * the end by granule position as opusdec does. Channels come back separate.
 */
const reference = new OggOpusDecoder();
beforeAll(() => reference.ready);
afterAll(() => reference.free());

async function decodeByLibopus(ogg: Uint8Array): Promise<{ channels: Float32Array[]; errors: unknown[] }> {
  await reference.reset();
  const decoded = await reference.decodeFile(ogg);
  return { channels: decoded.channelData, errors: decoded.errors };
}

/** Duration in ms of each frame an Opus packet's TOC byte (RFC 6716 §3.1) announces, and how many frames it holds. */
function tocFrame(packet: Uint8Array): { frameMs: number; frames: number } {
  const config = packet[0]! >> 3;
  const frameMs = config < 12 ? [10, 20, 40, 60][config % 4]! : config < 16 ? [10, 20][config % 2]! : [2.5, 5, 10, 20][config % 4]!;
  const code = packet[0]! & 3;
  return { frameMs, frames: code === 0 ? 1 : code === 3 ? packet[1]! & 0x3f : 2 };
}

interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  segments: number[];
}

function pagesOf(bytes: Uint8Array): Page[] {
  const pages: Page[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const count = bytes[at + 26]!;
    const segments = Array.from(bytes.subarray(at + 27, at + 27 + count));
    pages.push({ flags: bytes[at + 5]!, granule: view.getBigInt64(at + 6, true), serial: view.getUint32(at + 14, true), sequence: view.getUint32(at + 18, true), segments });
    at += 27 + count + segments.reduce((sum, value) => sum + value, 0);
  }
  return pages;
}

function expectFormatError(action: () => unknown, message: RegExp): void {
  expect(action).toThrow(AudioFormatError);
  expect(action).toThrow(message);
}

describe('Ogg CRC-32', () => {
  it('is the unreflected 0x04C11DB7 CRC with zero init and no final XOR', () => {
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
    // Check value for "123456789" with these parameters (CRC-32/MPEG-2 without its 0xFFFFFFFF init).
    expect(oggCrc32(Buffer.from('123456789'))).toBe(0x89a1897f);
  });
});

describe('Ogg page writer and reader', () => {
  it('laces packets of every awkward length and reassembles them, across pages when needed', () => {
    const lengths = [0, 1, 254, 255, 256, 510, 1000, 255 * 255 + 1, 140_000];
    const packets = lengths.map((length, index) => Uint8Array.from({ length }, (_, i) => (i * 7 + index) & 0xff));
    const writer = new OggPageWriter(42);
    packets.forEach((packet, index) => writer.writePacket(packet, BigInt(index + 1), { endOfStream: index === packets.length - 1 }));
    const bytes = writer.bytes();
    const [stream] = readOggStreams(bytes);
    expect(stream!.serial).toBe(42);
    expect(stream!.packets.map((packet) => packet.length)).toEqual(lengths);
    stream!.packets.forEach((packet, index) => expect(Buffer.compare(packet, packets[index]!)).toBe(0));
    expect(stream!.endOfStream).toBe(true);
    expect(stream!.lastGranule).toBe(BigInt(packets.length));

    const pages = pagesOf(bytes);
    expect(pages[0]!.flags & 0x02).toBe(0x02); // first page: beginning of stream
    expect(pages.at(-1)!.flags & 0x04).toBe(0x04); // last page: end of stream
    expect(pages.map((page) => page.sequence)).toEqual(pages.map((_, index) => index));
    expect(pages.every((page) => page.segments.length <= 255)).toBe(true);
    // 140 000 bytes need 550 segments: some page holds only the middle of it, ends no packet, and has granule -1.
    const continued = pages.filter((page) => page.flags & 0x01);
    expect(continued.length).toBeGreaterThan(0);
    expect(pages.some((page) => page.granule === -1n)).toBe(true);
  });

  it('rejects data that is not Ogg, truncated or corrupt', () => {
    const writer = new OggPageWriter(1);
    writer.writePacket(Uint8Array.from([1, 2, 3, 4, 5]), 0n, { endOfStream: true });
    const bytes = writer.bytes();
    expectFormatError(() => readOggStreams(new Uint8Array(0)), /empty/);
    expectFormatError(() => readOggStreams(Buffer.from('RIFF....WAVE')), /does not start with "OggS"/);
    expectFormatError(() => readOggStreams(bytes.subarray(0, 20)), /truncated inside the page header/);
    expectFormatError(() => readOggStreams(bytes.subarray(0, bytes.length - 2)), /truncated: the page at byte 0 needs 33 bytes/);
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 1] = corrupt[corrupt.length - 1]! ^ 0xff;
    expectFormatError(() => readOggStreams(corrupt), /Corrupt Ogg page at byte 0: checksum/);
    expectFormatError(() => readOggStreams(Buffer.concat([bytes, Buffer.from('junk')])), /no page starts at byte 33/);
  });
});

describe('Ogg Opus encoding (voice notes)', () => {
  let source: FloatAudio;
  let ogg: Uint8Array;
  beforeAll(() => {
    source = speech();
    ogg = encodeOggOpus(source, { serial: 0x1234 });
  });

  it('writes OpusHead and OpusTags on pages of their own, mono, 48 kHz, with the pre-skip and the true length in the granules', () => {
    const pages = pagesOf(ogg);
    expect(pages[0]!.granule).toBe(0n);
    expect(pages[0]!.segments).toEqual([19]); // OpusHead alone
    expect(pages[1]!.granule).toBe(0n);
    expect(pages[1]!.flags & 0x02).toBe(0);
    const [stream] = readOggStreams(ogg);
    const head = stream!.packets[0]!;
    expect(Buffer.from(head.subarray(0, 8)).toString()).toBe('OpusHead');
    expect(head[9]).toBe(1); // one channel: WhatsApp wants mono
    const preSkip = Buffer.from(head).readUInt16LE(10);
    expect(preSkip).toBe(312);
    expect(Buffer.from(head).readUInt32LE(12)).toBe(source.sampleRate);
    expect(Buffer.from(stream!.packets[1]!.subarray(0, 8)).toString()).toBe('OpusTags');
    const samples48k = resample(source, 48000).samples.length;
    expect(stream!.lastGranule).toBe(BigInt(preSkip + samples48k));
    expect(stream!.endOfStream).toBe(true);
    // 20 ms packets (TOC config for 20 ms frames), about one page a second
    expect(stream!.packets.length - 2).toBe(Math.ceil((samples48k + preSkip) / 960));
  });

  it('decodes back to the same length, level and shape', async () => {
    const decoded = decodeOggOpus(ogg);
    const reference = resample(source, 48000);
    expect(decoded.sampleRate).toBe(48000);
    expect(decoded.samples.length).toBe(reference.samples.length);
    expect(rms(decoded.samples)).toBeGreaterThan(0.7 * rms(reference.samples));
    expect(rms(decoded.samples)).toBeLessThan(1.3 * rms(reference.samples));
    // Pre-skip handled: the waveform lines up with the original, not 312 samples late.
    expect(correlation(decoded.samples, reference.samples)).toBeGreaterThan(0.8);
    expect((await decodeAudioFile(ogg)).samples.length).toBe(decoded.samples.length);
  });

  it('keeps a minute of speech under WhatsApp\'s 512 KB play-button limit at the default bitrate', () => {
    const bytesPerSecond = ogg.length / (source.samples.length / source.sampleRate);
    expect(bytesPerSecond * 60).toBeLessThan(512 * 1024);
  });

  it('refuses to encode nothing', () => {
    expect(() => encodeOggOpus({ samples: new Float32Array(0), sampleRate: 16000 })).toThrow(/no samples/);
  });

  it('encodes a clip shorter than one frame and than the pre-skip', () => {
    const tiny = { samples: sine(440, 16000, 0.005), sampleRate: 16000 };
    const decoded = decodeOggOpus(encodeOggOpus(tiny));
    expect(decoded.samples.length).toBe(240);
  });

  it('holds one 20 ms frame per packet, as voice apps expect', () => {
    const [stream] = readOggStreams(ogg);
    const audio = stream!.packets.slice(2);
    expect(audio.every((packet) => tocFrame(packet).frameMs === 20 && tocFrame(packet).frames === 1)).toBe(true);
  });

  it("decodes in libopus's reference decoder (ogg-opus-decoder, WASM) to the source and to what Parley decodes", async () => {
    const byLibopus = await decodeByLibopus(ogg);
    expect(byLibopus.errors).toEqual([]);
    expect(byLibopus.channels).toHaveLength(1);
    const ours = decodeOggOpus(ogg);
    // Same pre-skip and end trimming: the playback length is the source's, to the sample.
    expect(byLibopus.channels[0]!.length).toBe(ours.samples.length);
    expect(byLibopus.channels[0]!.length).toBe(resample(source, 48000).samples.length);
    expect(correlation(byLibopus.channels[0]!, ours.samples)).toBeGreaterThan(0.99);
    expect(snrDb(byLibopus.channels[0]!, ours.samples)).toBeGreaterThan(20);
    const original = resample(source, 48000).samples;
    expect(correlation(byLibopus.channels[0]!, original)).toBeGreaterThan(0.8);
  });
});

describe('Ogg Opus decoding (voice notes and uploads)', () => {
  it('reads mono and stereo streams laid out as other muxers do, trimmed to their true length, as libopus does', async () => {
    const original = resample(speech(2), 48000).samples;
    for (const channels of [1, 2] as const) {
      // Stereo with a different right channel: the decoder must average, not pick one.
      const right = channels === 2 ? original.map((value) => 0.5 * value) : undefined;
      const fixture = encodeOpusPackets(original, right);
      const writer = new OggPageWriter(77 + channels);
      writer.writePacket(buildOpusHead({ channels, preSkip: fixture.preSkip, inputSampleRate: 44100 }), 0n);
      writer.flushPage();
      writer.writePacket(new TextEncoder().encode('OpusTags\u0005\u0000\u0000\u0000other\u0000\u0000\u0000\u0000'), 0n);
      writer.flushPage();
      // Pages of 10 packets (opusenc's are about a second; ours 50 packets), granules per page.
      fixture.packets.forEach((packet, index) => {
        const last = index === fixture.packets.length - 1;
        writer.writePacket(packet, last ? BigInt(fixture.preSkip + fixture.length) : BigInt((index + 1) * 960), { endOfStream: last });
        if ((index + 1) % 10 === 0) writer.flushPage();
      });
      const ogg = writer.bytes();
      const decoded = decodeOggOpus(ogg);
      expect(decoded.sampleRate).toBe(48000);
      expect(decoded.samples.length, `${channels} channels`).toBe(original.length);
      const expected = right ? original.map((value) => 0.75 * value) : original;
      expect(correlation(decoded.samples, expected), `${channels} channels`).toBeGreaterThan(0.8);
      expect(rms(decoded.samples) / rms(expected)).toBeCloseTo(1, 1);

      const byLibopus = await decodeByLibopus(ogg);
      expect(byLibopus.errors).toEqual([]);
      expect(byLibopus.channels).toHaveLength(channels);
      const mono = byLibopus.channels[0]!.map((value, i) => (channels === 2 ? (value + byLibopus.channels[1]![i]!) / 2 : value));
      expect(mono.length).toBe(decoded.samples.length);
      expect(correlation(mono, decoded.samples), `${channels} channels`).toBeGreaterThan(0.99);
    }
  });

  it('says what is wrong with bad input', () => {
    expectFormatError(() => decodeOggOpus(new Uint8Array(0)), /empty/);
    expectFormatError(() => decodeOggOpus(encodeWav({ pcm: Int16Array.of(1), sampleRate: 8000 })), /does not start with "OggS"/);
    const notOpus = new OggPageWriter(9);
    notOpus.writePacket(Buffer.from('\u0001vorbis-ish header'), 0n, { endOfStream: true });
    expectFormatError(() => decodeOggOpus(notOpus.bytes()), /no Opus stream/);
    const headerOnly = encodeOggOpus({ samples: sine(440, 48000, 0.1), sampleRate: 48000 });
    const firstTwoPages = pagesOf(headerOnly).slice(0, 2).reduce((sum, page) => sum + 27 + page.segments.length + page.segments.reduce((a, b) => a + b, 0), 0);
    expectFormatError(() => decodeOggOpus(headerOnly.subarray(0, firstTwoPages)), /no audio packets/);
    expectFormatError(() => decodeOggOpus(headerOnly.subarray(0, headerOnly.length - 10)), /truncated/);
    const surround = new OggPageWriter(3);
    const head = Buffer.from(encodeOggOpusHead(6, 1));
    surround.writePacket(head, 0n);
    expectFormatError(() => decodeOggOpus(surround.bytes()), /6 channels, mapping family 1/);
  });

  it('reports a corrupt Opus packet as bad input', () => {
    const writer = new OggPageWriter(5);
    writer.writePacket(encodeOggOpusHead(1, 0), 0n);
    writer.flushPage();
    writer.writePacket(Buffer.from('OpusTags\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'), 0n);
    writer.flushPage();
    // TOC byte for a code-3 packet with an impossible frame count.
    writer.writePacket(Uint8Array.of(0x03, 0xff), 960n, { endOfStream: true });
    expectFormatError(() => decodeOggOpus(writer.bytes()), /Corrupt Opus audio/);
  });

  it('applies the header output gain', () => {
    const ogg = Buffer.from(encodeOggOpus({ samples: sine(440, 48000, 0.5, 0.2), sampleRate: 48000 }, { serial: 7 }));
    const plain = decodeOggOpus(ogg);
    // Rewrite OpusHead's gain to -6.02 dB (half amplitude) and fix that page's CRC.
    const pageLength = 27 + 1 + 19;
    ogg.writeInt16LE(Math.round(-6.0206 * 256), 28 + 16);
    ogg.writeUInt32LE(0, 22);
    ogg.writeUInt32LE(oggCrc32(ogg.subarray(0, pageLength)), 22);
    const quieter = decodeOggOpus(ogg);
    expect(rms(quieter.samples) / rms(plain.samples)).toBeCloseTo(0.5, 3);
  });
});

function encodeOggOpusHead(channels: number, family: number): Uint8Array {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head[8] = 1;
  head[9] = channels;
  head.writeUInt16LE(312, 10);
  head.writeUInt32LE(48000, 12);
  head[18] = family;
  return head;
}

// Parley keeps its own Ogg reader for uploads (tests/bench/ogg-opus-decode.bench.ts says why), so
// it is fuzzed like the WebM and MP3 readers: any bytes end in audio or an AudioFormatError, fast.
describe('bad Ogg Opus data', () => {
  const intact = encodeOggOpus({ samples: speechLike(48000, 1), sampleRate: 48000 }, { serial: 99 });

  function expectCleanOutcome(bytes: Uint8Array, label: string): 'decoded' | 'refused' {
    const started = performance.now();
    try {
      decodeOggOpus(bytes);
      return 'decoded';
    } catch (error) {
      expect(error, `${label}: ${String(error)}`).toBeInstanceOf(AudioFormatError);
      return 'refused';
    } finally {
      expect(performance.now() - started, label).toBeLessThan(2000);
    }
  }

  it('refuses a file cut anywhere inside a page, and decodes one cut between pages as far as it goes', () => {
    const boundaries = new Set<number>();
    let at = 0;
    for (const page of pagesOf(intact)) boundaries.add((at += 27 + page.segments.length + page.segments.reduce((sum, value) => sum + value, 0)));
    for (let length = 0; length < intact.length; length++) {
      const outcome = expectCleanOutcome(intact.subarray(0, length), `first ${length} bytes`);
      if (!boundaries.has(length)) expect(outcome, `first ${length} bytes`).toBe('refused');
    }
  });

  it('refuses bit flips anywhere (every page is CRC-checked) and random bytes, with or without "OggS"', () => {
    const random = seededRandom(7845);
    for (let round = 0; round < 300; round++) {
      const flipped = Uint8Array.from(intact);
      for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) flipped[Math.floor(random() * flipped.length)]! ^= 1 << Math.floor(random() * 8);
      expect(expectCleanOutcome(flipped, `bit flips, round ${round}`), `bit flips, round ${round}`).toBe('refused');
      const noise = Uint8Array.from({ length: 4 + Math.floor(random() * 4000) }, () => Math.floor(random() * 256));
      if (round % 2 === 0) noise.set([0x4f, 0x67, 0x67, 0x53]);
      expect(expectCleanOutcome(noise, `random bytes, round ${round}`)).toBe('refused');
    }
  });
});

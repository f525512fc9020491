import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AudioFormatError, rms, type FloatAudio } from '#audio';
import { decodeAudioFile, decodeWebmOpus, readWebm, sniffAudioContainer } from '../../../../backend/speech/audio';
import { CHROMIUM_PATH, launchChromium } from '../../../support/browser';
import { correlation, sine, zeroCrossingFrequency } from './audio-tools';
import { blockBody, buildWebm, encodeEbml, encodeOpusPackets, ID, leaf, master, opusTrack, text, uint, type OpusFixture } from './webm-writer';

function expectFormatError(action: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected an AudioFormatError matching ${message}`).toBeInstanceOf(AudioFormatError);
  expect((thrown as Error).message).toMatch(message);
}

/** The steady middle of a decoded tone, away from the codec's fade-in and the last frame. */
function middle(audio: FloatAudio): Float32Array {
  return audio.samples.subarray(Math.round(audio.sampleRate * 0.1), audio.samples.length - Math.round(audio.sampleRate * 0.1));
}

const SECONDS = 1.5;
let mono: OpusFixture;
let stereo: OpusFixture;
let tone: Float32Array;
beforeAll(() => {
  tone = sine(440, 48000, SECONDS, 0.5);
  mono = encodeOpusPackets(tone);
  // Left loud, right quieter and a fifth up: the mono downmix is their average.
  stereo = encodeOpusPackets(sine(440, 48000, SECONDS, 0.4), sine(660, 48000, SECONDS, 0.2));
});

describe('WebM Opus decoding', () => {
  it('reads a muxer-style file exactly: sized clusters, BlockGroups, CodecDelay and DiscardPadding trim it to the source length', () => {
    const webm = buildWebm(mono, { layout: 'muxer', blocksPerCluster: 10 });
    expect(sniffAudioContainer(webm)).toBe('webm');
    const decoded = decodeWebmOpus(webm);
    expect(decoded.sampleRate).toBe(48000);
    expect(decoded.samples.length).toBe(tone.length);
    expect(zeroCrossingFrequency(middle(decoded), 48000)).toBeCloseTo(440, 0);
    expect(rms(middle(decoded))).toBeCloseTo(0.5 / Math.SQRT2, 1);
    // The codec delay was dropped from the start: the waveform lines up with the source.
    expect(correlation(decoded.samples, tone)).toBeGreaterThan(0.95);
  });

  it('reads a MediaRecorder-style file: Segment and Clusters of unknown size, SimpleBlocks, no codec delay', () => {
    const webm = buildWebm(mono, { layout: 'mediarecorder', blocksPerCluster: 7 });
    const decoded = decodeWebmOpus(webm);
    expect(decoded.sampleRate).toBe(48000);
    // Nothing says how much to trim, so the lookahead and the last frame's padding stay: under 20 ms + pre-skip more.
    expect(decoded.samples.length).toBe(mono.packets.length * 960);
    expect(decoded.samples.length - tone.length).toBeLessThan(960 + mono.preSkip);
    expect(zeroCrossingFrequency(middle(decoded), 48000)).toBeCloseTo(440, 0);
    expect(rms(middle(decoded))).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it.each(['xiph', 'ebml'] as const)('reads blocks with %s lacing', (lacing) => {
    const decoded = decodeWebmOpus(buildWebm(mono, { layout: 'muxer', lacing, framesPerBlock: 4 }));
    expect(decoded.samples.length).toBe(tone.length);
    expect(correlation(decoded.samples, tone)).toBeGreaterThan(0.95);
  });

  it('downmixes a stereo track to mono, as the Ogg decoder does', () => {
    const decoded = decodeWebmOpus(buildWebm(stereo, { layout: 'muxer' }));
    expect(decoded.samples.length).toBe(stereo.length);
    const expected = sine(440, 48000, SECONDS, 0.4).map((left, i) => (left + 0.2 * Math.sin((2 * Math.PI * 660 * i) / 48000)) / 2);
    expect(correlation(decoded.samples, expected)).toBeGreaterThan(0.95);
    expect(rms(decoded.samples) / rms(expected)).toBeGreaterThan(0.85);
    expect(rms(decoded.samples) / rms(expected)).toBeLessThan(1.15);
  });

  it('finds the Opus track among others and applies the OpusHead output gain', () => {
    const video = master(ID.trackEntry, [uint(ID.trackNumber, 1), uint(ID.trackType, 1), text(ID.codecId, 'V_VP8')]);
    // The Opus track is number 2 here: frames of track 1 (video) are there too and must be ignored.
    const head = Buffer.from(opusHeadWithGain(mono.preSkip, -6.0206));
    const bytes = encodeEbml(
      master(ID.ebml, [text(ID.docType, 'webm')]),
      master(ID.segment, [
        master(ID.tracks, [video, opusTrack(mono, { layout: 'muxer', codecPrivate: head }, 2)]),
        master(ID.cluster, [uint(ID.timestamp, 0), leaf(ID.simpleBlock, blockBody(1, [Uint8Array.of(1, 2, 3)])), ...mono.packets.map((packet) => leaf(ID.simpleBlock, blockBody(2, [packet])))]),
      ]),
    );
    const decoded = decodeWebmOpus(bytes);
    expect(rms(middle(decoded))).toBeCloseTo(0.25 / Math.SQRT2, 1);
  });

  it('is what decodeAudioFile picks for EBML data', async () => {
    const webm = buildWebm(mono, { layout: 'mediarecorder' });
    expect((await decodeAudioFile(webm)).samples.length).toBe(decodeWebmOpus(webm).samples.length);
  });
});

describe('WebM demuxing', () => {
  it('splits Xiph, EBML and fixed-size laces into their exact frames', () => {
    const frames = [300, 0, 255, 7, 511].map((length, index) => Uint8Array.from({ length }, (_, i) => (i + index * 31) & 0xff));
    const equal = [40, 40, 40].map((length, index) => new Uint8Array(length).fill(index + 1));
    for (const [lacing, input] of [
      ['xiph', frames],
      ['ebml', frames],
      ['fixed', equal],
    ] as const) {
      const bytes = encodeEbml(
        master(ID.ebml, [text(ID.docType, 'matroska')]),
        master(ID.segment, [master(ID.cluster, [leaf(ID.simpleBlock, blockBody(3, input, lacing))], true)], true),
      );
      const read = readWebm(bytes).frames.get(3)!.map((frame) => Buffer.from(frame.data));
      expect(read, lacing).toEqual(input.map((frame) => Buffer.from(frame)));
    }
  });

  it('ends an unknown-size Cluster at the next Segment-level element, and stops at a concatenated second file', () => {
    const cluster = (byte: number) => master(ID.cluster, [uint(ID.timestamp, 0), leaf(ID.simpleBlock, blockBody(1, [Uint8Array.of(byte)]))], true);
    const file = encodeEbml(master(ID.ebml, [text(ID.docType, 'webm')]), master(ID.segment, [cluster(1), master(ID.cues, []), cluster(2)], true));
    const twice = Buffer.concat([file, file]);
    expect(readWebm(twice).frames.get(1)!.map((frame) => frame.data[0])).toEqual([1, 2]);
  });
});

describe('bad WebM data', () => {
  it('says what is wrong', () => {
    const good = buildWebm(mono, { layout: 'muxer' });
    expectFormatError(() => decodeWebmOpus(new Uint8Array(0)), /empty/);
    expectFormatError(() => decodeWebmOpus(Buffer.from('RIFF....WAVE')), /EBML magic/);
    expectFormatError(() => decodeWebmOpus(buildWebm(mono, { layout: 'muxer', docType: 'qt' })), /document type is "qt"/);
    expectFormatError(() => decodeWebmOpus(good.subarray(0, 30)), /truncated/);
    expectFormatError(() => decodeWebmOpus(good.subarray(0, good.length - 50)), /truncated/);
    expectFormatError(() => decodeWebmOpus(encodeEbml(master(ID.ebml, [text(ID.docType, 'webm')]))), /no Segment/);
    expectFormatError(() => decodeWebmOpus(encodeEbml(master(ID.ebml, [text(ID.docType, 'webm')]), master(ID.segment, []))), /holds no tracks/);
  });

  it('refuses a WebM without an Opus track by naming what it has', () => {
    expectFormatError(() => decodeWebmOpus(buildWebm(mono, { layout: 'muxer', codecId: 'A_VORBIS' })), /no Opus track \(it has A_VORBIS\)/);
    const videoOnly = encodeEbml(
      master(ID.ebml, [text(ID.docType, 'webm')]),
      master(ID.segment, [master(ID.tracks, [master(ID.trackEntry, [uint(ID.trackNumber, 1), uint(ID.trackType, 1), text(ID.codecId, 'V_VP9')])])]),
    );
    expectFormatError(() => decodeWebmOpus(videoOnly), /no Opus track \(it has V_VP9\)/);
  });

  it('refuses Opus tracks it cannot decode', () => {
    const surround = Buffer.from(opusHeadWithGain(312, 0));
    surround[9] = 6;
    surround[18] = 1;
    expectFormatError(() => decodeWebmOpus(buildWebm(mono, { layout: 'muxer', codecPrivate: surround })), /6 channels, mapping family 1/);
    expectFormatError(() => decodeWebmOpus(buildWebm(mono, { layout: 'muxer', codecPrivate: Buffer.from('OpusHe') })), /no OpusHead/);
    expectFormatError(() => decodeWebmOpus(buildWebm(mono, { layout: 'muxer', trackFields: [master(ID.contentEncodings, [])] })), /compressed or encrypted/);
    expectFormatError(() => decodeWebmOpus(buildWebm({ ...mono, packets: [] }, { layout: 'mediarecorder' })), /no audio packets/);
    expectFormatError(() => decodeWebmOpus(buildWebm({ ...mono, packets: [Uint8Array.of(0x03, 0xff)] }, { layout: 'mediarecorder' })), /Corrupt Opus audio/);
  });

  it('refuses elements that do not nest, impossible laces and unknown sizes where none may be', () => {
    const header = master(ID.ebml, [text(ID.docType, 'webm')]);
    const tracks = master(ID.tracks, [opusTrack(mono, { layout: 'mediarecorder' })]);
    const laced = Buffer.from(blockBody(1, [new Uint8Array(10), new Uint8Array(10)], 'xiph'));
    laced[5] = 200; // first frame "200 bytes" in a 20-byte block
    expectFormatError(() => decodeWebmOpus(encodeEbml(header, master(ID.segment, [tracks, master(ID.cluster, [leaf(ID.simpleBlock, laced)])]))), /lace sizes larger than the block/);
    const fixed = blockBody(1, [new Uint8Array(10), new Uint8Array(11)], 'fixed');
    expectFormatError(() => decodeWebmOpus(encodeEbml(header, master(ID.segment, [tracks, master(ID.cluster, [leaf(ID.simpleBlock, fixed)])]))), /splits 21 bytes into 2 equal frames/);
    expectFormatError(() => decodeWebmOpus(encodeEbml(header, master(ID.segment, [master(ID.tracks, [], true)]))), /unknown size \(only Segments and Clusters may\)/);
    // A Cluster that claims more than its sized Segment holds.
    const segment = Buffer.from(encodeEbml(master(ID.segment, [tracks, master(ID.cluster, [leaf(ID.simpleBlock, blockBody(1, [mono.packets[0]!]))])])));
    const clusterAt = segment.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]));
    segment[clusterAt + 4] = segment[clusterAt + 4]! + 40;
    expectFormatError(() => decodeWebmOpus(Buffer.concat([encodeEbml(header), segment, new Uint8Array(64)])), /runs past the end of the element that holds it/);
    expectFormatError(() => decodeWebmOpus(Buffer.concat([encodeEbml(header), Uint8Array.of(0x18, 0x53, 0x80, 0x67, 0x00)])), /not a valid EBML number/);
  });

  it('never throws anything but AudioFormatError on truncated or damaged files, and never hangs', () => {
    const files = [buildWebm(mono, { layout: 'muxer', lacing: 'ebml' }), buildWebm(stereo, { layout: 'mediarecorder' })];
    let decodedCount = 0;
    let refused = 0;
    const attempt = (bytes: Uint8Array) => {
      try {
        decodeWebmOpus(bytes);
        decodedCount++;
      } catch (error) {
        expect(error).toBeInstanceOf(AudioFormatError);
        refused++;
      }
    };
    for (const file of files) {
      for (let cut = 1; cut < file.length; cut += 97) attempt(file.subarray(0, cut));
    }
    // Deterministic damage: a seeded generator, so a failure reproduces.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 150; round++) {
      const damaged = Buffer.from(files[round % 2]!);
      for (let flips = 0; flips < 1 + (round % 8); flips++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      attempt(damaged);
    }
    // A recording cut between blocks is still a valid recording: some cuts decode.
    expect(decodedCount).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

// Chromium's own MediaRecorder, the producer this reader exists for. CI has Chromium (.ci/run
// installs it); locally the test skips without it.
describe.skipIf(process.env['CI'] !== 'true' && !existsSync(CHROMIUM_PATH))('WebM from Chromium MediaRecorder', () => {
  it('decodes a recorded 440 Hz tone to its length, rate and pitch', async () => {
    const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    let recorded: Uint8Array;
    try {
      const page = await browser.newPage();
      const base64 = await page.evaluate<string>(recordToneScript(SECONDS));
      recorded = Buffer.from(base64, 'base64');
    } finally {
      await browser.close();
    }

    expect(sniffAudioContainer(recorded)).toBe('webm');
    const webm = readWebm(recorded);
    expect(webm.docType).toBe('webm');
    expect(webm.tracks[0]).toMatchObject({ codecId: 'A_OPUS', type: 2 });
    const decoded = await decodeAudioFile(recorded);
    expect(decoded.sampleRate).toBe(48000);
    // Wall-clock recording: start-up latency and timer slop make the length approximate.
    expect(decoded.samples.length / 48000).toBeGreaterThan(SECONDS - 0.3);
    expect(decoded.samples.length / 48000).toBeLessThan(SECONDS + 0.3);
    expect(zeroCrossingFrequency(middle(decoded), 48000)).toBeGreaterThan(437);
    expect(zeroCrossingFrequency(middle(decoded), 48000)).toBeLessThan(443);
    expect(rms(middle(decoded))).toBeCloseTo(0.5 / Math.SQRT2, 1);

    // Cut inside its last block, the recording is refused as truncated rather than decoded short.
    expectFormatError(() => decodeWebmOpus(recorded.subarray(0, recorded.length - 3)), /truncated/);
  });
});

/** Runs in the page (the node-side tsconfig has no DOM types, hence a string): records a 440 Hz tone, answers base64 WebM. */
function recordToneScript(seconds: number): string {
  return `(async () => {
    const context = new AudioContext({ sampleRate: 48000 });
    const oscillator = new OscillatorNode(context, { frequency: 440 });
    const destination = context.createMediaStreamDestination();
    oscillator.connect(new GainNode(context, { gain: 0.5 })).connect(destination);
    oscillator.start();
    const recorder = new MediaRecorder(destination.stream, { mimeType: 'audio/webm;codecs=opus' });
    const chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    // Timesliced, as an app streaming a recording upward would: the chunks concatenate into one file.
    recorder.start(250);
    await new Promise((resolve) => setTimeout(resolve, ${seconds * 1000}));
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  })()`;
}

function opusHeadWithGain(preSkip: number, gainDb: number): Uint8Array {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = 1;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48000, 12);
  head.writeInt16LE(Math.round(gainDb * 256), 16);
  return head;
}

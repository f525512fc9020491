// A small EBML writer for building WebM fixtures in tests: every layout a reader must handle
// (MediaRecorder's unknown sizes, muxers' sized clusters, BlockGroups, lacing), written on purpose.
import { OpusEncoder } from '../../../../backend/speech/audio/opus-codec';
import { buildOpusHead } from '../../../../backend/speech/audio/opus-headers';
import { floatToPcm16 } from '#audio';

export const ID = {
  ebml: 0x1a45dfa3,
  ebmlVersion: 0x4286,
  docType: 0x4282,
  segment: 0x18538067,
  info: 0x1549a966,
  timestampScale: 0x2ad7b1,
  muxingApp: 0x4d80,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackUid: 0x73c5,
  trackType: 0x83,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  codecDelay: 0x56aa,
  seekPreRoll: 0x56bb,
  contentEncodings: 0x6d80,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  timestamp: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  discardPadding: 0x75a2,
  cues: 0x1c53bb6b,
  void: 0xec,
} as const;

/** An element: a leaf with its body bytes, or a master with children; `unknownSize` writes the reserved all-ones size. */
export type Ebml = { id: number; body: Uint8Array } | { id: number; children: Ebml[]; unknownSize?: boolean };

export const leaf = (id: number, body: Uint8Array): Ebml => ({ id, body });
export const master = (id: number, children: Ebml[], unknownSize = false): Ebml => ({ id, children, unknownSize });
export const uint = (id: number, value: number): Ebml => leaf(id, bigEndian(value, value < 2 ** 8 ? 1 : value < 2 ** 16 ? 2 : value < 2 ** 32 ? 4 : 8));
export const sint = (id: number, value: number): Ebml => leaf(id, bigEndian(value < 0 ? 2 ** 32 + value : value, 4));
export const text = (id: number, value: string): Ebml => leaf(id, Buffer.from(value, 'latin1'));
export const float = (id: number, value: number): Ebml => {
  const body = Buffer.alloc(8);
  body.writeDoubleBE(value);
  return leaf(id, body);
};

export function encodeEbml(...elements: Ebml[]): Uint8Array {
  return Buffer.concat(elements.map(encodeElement));
}

function encodeElement(element: Ebml): Uint8Array {
  const body = 'body' in element ? element.body : encodeEbml(...element.children);
  const size = 'children' in element && element.unknownSize ? Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) : vint(body.length);
  return Buffer.concat([idBytes(element.id), size, body]);
}

function idBytes(id: number): Uint8Array {
  return bigEndian(id, id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1);
}

/** The shortest EBML variable-length integer for `value` (never the all-ones pattern, which means "unknown"). */
export function vint(value: number, minLength = 1): Uint8Array {
  let length = minLength;
  while (value >= 2 ** (7 * length) - 1) length++;
  const bytes = bigEndian(value, length);
  bytes[0]! |= 0x80 >> (length - 1);
  return bytes;
}

function bigEndian(value: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = length - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

export type Lacing = 'none' | 'xiph' | 'ebml' | 'fixed';

/** A Block/SimpleBlock body: track number, relative timestamp, flags, then the frames laced as asked. */
export function blockBody(track: number, frames: Uint8Array[], lacing: Lacing = 'none', keyframe = true): Uint8Array {
  const lacingBits = { none: 0, xiph: 1, fixed: 2, ebml: 3 }[lacing];
  if (lacing === 'none' && frames.length !== 1) throw new Error('an unlaced block holds one frame');
  const header = [vint(track), Uint8Array.of(0, 0, (keyframe ? 0x80 : 0) | (lacingBits << 1))];
  if (lacing === 'none') return Buffer.concat([...header, frames[0]!]);
  const sizes: Uint8Array[] = [Uint8Array.of(frames.length - 1)];
  frames.slice(0, -1).forEach((frame, index) => {
    if (lacing === 'xiph') sizes.push(Uint8Array.from([...Array<number>(Math.floor(frame.length / 255)).fill(255), frame.length % 255]));
    if (lacing === 'ebml') {
      if (index === 0) sizes.push(vint(frame.length));
      else {
        // Signed difference from the previous size, stored with a bias: 2 bytes hold ±8191.
        const difference = frame.length - frames[index - 1]!.length;
        sizes.push(vint(difference + 8191, 2));
      }
    }
  });
  return Buffer.concat([...header, ...sizes, ...frames]);
}

export interface OpusFixture {
  packets: Uint8Array[];
  preSkip: number;
  /** Samples per channel the source had at 48 kHz. */
  length: number;
  channels: 1 | 2;
}

/** 20 ms Opus packets of `left` (and `right`, for stereo) at 48 kHz, with the silence after that flushes the lookahead. */
export function encodeOpusPackets(left: Float32Array, right?: Float32Array): OpusFixture {
  const channels = right ? 2 : 1;
  const encoder = new OpusEncoder({ sampleRate: 48000, channels, bitrate: channels * 32_000, application: 'audio' });
  try {
    const preSkip = encoder.lookahead();
    const total = left.length + preSkip;
    const packets: Uint8Array[] = [];
    for (let start = 0; start < total; start += 960) {
      const frame = new Float32Array(960 * channels);
      for (let i = 0; i < 960 && start + i < left.length; i++) {
        if (right) {
          frame[2 * i] = left[start + i]!;
          frame[2 * i + 1] = right[start + i]!;
        } else frame[i] = left[start + i]!;
      }
      packets.push(encoder.encode(floatToPcm16(frame)));
    }
    return { packets, preSkip, length: left.length, channels };
  } finally {
    encoder.destroy();
  }
}

export interface WebmOptions {
  /** `mediarecorder`: Segment and Clusters of unknown size, SimpleBlocks, no CodecDelay and a zero pre-skip, as Chrome writes. `muxer`: sized elements, CodecDelay, BlockGroups with DiscardPadding on the last. */
  layout: 'mediarecorder' | 'muxer';
  lacing?: Lacing;
  framesPerBlock?: number;
  blocksPerCluster?: number;
  codecId?: string;
  codecPrivate?: Uint8Array;
  extraTracks?: Ebml[];
  trackFields?: Ebml[];
  docType?: string;
}

export function opusTrack(fixture: Pick<OpusFixture, 'channels' | 'preSkip'>, options: Pick<WebmOptions, 'layout' | 'codecId' | 'codecPrivate' | 'trackFields'>, number = 1): Ebml {
  const muxer = options.layout === 'muxer';
  const head = options.codecPrivate ?? buildOpusHead({ channels: fixture.channels, preSkip: muxer ? fixture.preSkip : 0, inputSampleRate: 48000 });
  return master(ID.trackEntry, [
    uint(ID.trackNumber, number),
    uint(ID.trackUid, 1000 + number),
    uint(ID.trackType, 2),
    text(ID.codecId, options.codecId ?? 'A_OPUS'),
    leaf(ID.codecPrivate, head),
    ...(muxer ? [uint(ID.codecDelay, Math.round((fixture.preSkip * 1e9) / 48000)), uint(ID.seekPreRoll, 80_000_000)] : []),
    master(ID.audio, [float(ID.samplingFrequency, 48000), uint(ID.channels, fixture.channels)]),
    ...(options.trackFields ?? []),
  ]);
}

/** A whole WebM file holding `fixture` as its Opus track 1. */
export function buildWebm(fixture: OpusFixture, options: WebmOptions): Uint8Array {
  const muxer = options.layout === 'muxer';
  const lacing = options.lacing ?? 'none';
  const perBlock = lacing === 'none' ? 1 : (options.framesPerBlock ?? 3);
  const perCluster = options.blocksPerCluster ?? 25;
  const blocks: Uint8Array[][] = [];
  for (let i = 0; i < fixture.packets.length; i += perBlock) blocks.push(fixture.packets.slice(i, i + perBlock));
  const padding = fixture.packets.length * 960 - fixture.length - fixture.preSkip;

  const clusters: Ebml[] = [];
  for (let first = 0; first < blocks.length; first += perCluster) {
    const children: Ebml[] = [uint(ID.timestamp, first * perBlock * 20)];
    blocks.slice(first, first + perCluster).forEach((frames, index) => {
      const body = blockBody(1, frames, lacing);
      const last = first + index === blocks.length - 1;
      if (!muxer) children.push(leaf(ID.simpleBlock, body));
      else children.push(master(ID.blockGroup, [leaf(ID.block, body), ...(last ? [sint(ID.discardPadding, Math.round((padding * 1e9) / 48000))] : [])]));
    });
    clusters.push(master(ID.cluster, children, !muxer));
  }
  return encodeEbml(
    master(ID.ebml, [uint(ID.ebmlVersion, 1), text(ID.docType, options.docType ?? 'webm')]),
    master(
      ID.segment,
      [
        master(ID.info, [uint(ID.timestampScale, 1_000_000), text(ID.muxingApp, 'Parley tests')]),
        master(ID.tracks, [opusTrack(fixture, options), ...(options.extraTracks ?? [])]),
        ...clusters,
        ...(muxer ? [master(ID.cues, [leaf(ID.void, new Uint8Array(4))])] : []),
      ],
      !muxer,
    ),
  );
}

import { AudioFormatError } from '#audio';

/** One MPEG audio frame header (ISO 11172-3 / 13818-3): layers I-III, MPEG 1, 2 and 2.5. */
export interface MpegFrameHeader {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  channels: 1 | 2;
  /** The whole frame, header included. */
  frameBytes: number;
  samplesPerFrame: number;
}

const BITRATES_KBPS = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/**
 * The frame header at `at`, or undefined if the four bytes there are not one: no sync word, a
 * reserved version, layer, bitrate or rate, or free-format bitrate (which no speech encoder writes
 * and whose frame length cannot be known from the header).
 */
export function parseMpegFrameHeader(bytes: Uint8Array, at: number): MpegFrameHeader | undefined {
  if (at + 4 > bytes.length) return undefined;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 0x03;
  const layerBits = (b1 >> 1) & 0x03;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0x03;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table = version === 1 ? (layer === 1 ? BITRATES_KBPS.v1l1 : layer === 2 ? BITRATES_KBPS.v1l2 : BITRATES_KBPS.v1l3) : layer === 1 ? BITRATES_KBPS.v2l1 : BITRATES_KBPS.v2l23;
  const bitrateKbps = table[bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version][rateIndex]!;
  const padding = (b2 >> 1) & 0x01;
  const channels = (bytes[at + 3]! >> 6) === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  // Layer I counts in 4-byte slots; the others in bytes: bits per frame / 8 + padding.
  const frameBytes = layer === 1 ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4 : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, layer, bitrateKbps, sampleRate, channels, frameBytes, samplesPerFrame };
}

/** Bytes taken by the ID3v2 tags at `at` (0 if none): a 10-byte header, a syncsafe size, an optional footer. */
export function id3v2Length(bytes: Uint8Array, at: number): number {
  if (at + 10 > bytes.length || bytes[at] !== 0x49 || bytes[at + 1] !== 0x44 || bytes[at + 2] !== 0x33) return 0;
  const size = ((bytes[at + 6]! & 0x7f) << 21) | ((bytes[at + 7]! & 0x7f) << 14) | ((bytes[at + 8]! & 0x7f) << 7) | (bytes[at + 9]! & 0x7f);
  const footer = bytes[at + 5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

export interface MpegAudioStream {
  /** The first frame's header: every frame must share its version, layer and sample rate. */
  first: MpegFrameHeader;
  /** Byte range of the frames, tags before and after left out. */
  start: number;
  end: number;
  frames: number;
}

/**
 * Walks an MP3 (or MP2/MP1) file frame by frame, the way mpg123 would before decoding, so that bad
 * data fails here with a reason instead of as a decoder's guess: leading ID3v2 tags are skipped,
 * every frame must follow the last back to back, and only tags (ID3v1, APEv2, Lyrics3, a trailing
 * ID3v2) or zero padding may follow the last frame. Throws {@link AudioFormatError}.
 */
export function scanMpegFrames(bytes: Uint8Array): MpegAudioStream {
  if (bytes.length === 0) throw new AudioFormatError('mp3', 'The MP3 data is empty (0 bytes)');
  let start = 0;
  for (let tag = id3v2Length(bytes, 0); tag > 0; tag = id3v2Length(bytes, start)) {
    start += tag;
    if (start > bytes.length) throw new AudioFormatError('mp3', `The MP3 data is truncated inside its ID3v2 tag (${start} bytes needed, ${bytes.length} there)`);
  }
  // Tag writers may leave zero padding after the tag, outside its declared size.
  while (start < bytes.length && bytes[start] === 0) start++;
  const first = parseMpegFrameHeader(bytes, start);
  if (!first) {
    if (start >= bytes.length) throw new AudioFormatError('mp3', 'The MP3 data holds an ID3 tag and no audio frames');
    throw new AudioFormatError('mp3', `Not an MP3 file: no MPEG audio frame header at byte ${start}`);
  }

  let at = start;
  let frames = 0;
  while (at < bytes.length) {
    const header = parseMpegFrameHeader(bytes, at);
    if (!header || header.version !== first.version || header.layer !== first.layer || header.sampleRate !== first.sampleRate) {
      if (isTrailer(bytes, at)) break;
      if (bytes.length - at < 4) throw new AudioFormatError('mp3', `The MP3 data is truncated: ${bytes.length - at} bytes of a frame header at byte ${at}`);
      throw new AudioFormatError('mp3', `Corrupt MP3 data: no frame header at byte ${at}, where frame ${frames + 1} should start`);
    }
    if (at + header.frameBytes > bytes.length) {
      throw new AudioFormatError('mp3', `The MP3 data is truncated: the frame at byte ${at} needs ${header.frameBytes} bytes, ${bytes.length - at} are there`);
    }
    at += header.frameBytes;
    frames++;
  }
  return { first, start, end: at, frames };
}

function isTrailer(bytes: Uint8Array, at: number): boolean {
  const text = Buffer.from(bytes.subarray(at, at + 11)).toString('latin1');
  if (text.startsWith('TAG') || text.startsWith('APETAGEX') || text.startsWith('LYRICSBEGIN') || text.startsWith('ID3')) return true;
  for (let i = at; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

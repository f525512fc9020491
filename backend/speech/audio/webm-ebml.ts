import { AudioFormatError } from '#audio';

/** The Matroska/WebM element IDs the audio reader needs (RFC 9559), marker bits included as written. */
export const EbmlId = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  info: 0x1549a966,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  codecDelay: 0x56aa,
  contentEncodings: 0x6d80,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  discardPadding: 0x75a2,
  cues: 0x1c53bb6b,
  attachments: 0x1941a469,
  chapters: 0x1043a770,
  tags: 0x1254c367,
} as const;

/** Children of Segment: in a Cluster of unknown size, meeting one of these means the Cluster has ended. */
export const SEGMENT_CHILDREN: ReadonlySet<number> = new Set([
  EbmlId.seekHead,
  EbmlId.info,
  EbmlId.tracks,
  EbmlId.cluster,
  EbmlId.cues,
  EbmlId.attachments,
  EbmlId.chapters,
  EbmlId.tags,
]);

/** Every EBML file (WebM, Matroska) starts with the EBML header element, ID 1A 45 DF A3. */
export function hasEbmlMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

export interface EbmlElement {
  id: number;
  /** Where the element's header starts. */
  start: number;
  /** Where its body starts. */
  dataStart: number;
  /** Where its body ends, or undefined for the "unknown size" that live writers (MediaRecorder) use. */
  dataEnd: number | undefined;
}

/**
 * The element header at `offset`: a 1-4 byte ID (kept with its length marker, as the spec names IDs)
 * and a 1-8 byte size. Throws {@link AudioFormatError} when the header is cut by `limit` or is not
 * a valid variable-length integer; a body running past `limit` is the caller's to judge.
 */
export function readElementHeader(bytes: Uint8Array, offset: number, limit: number): EbmlElement {
  const idLength = vintLength(bytes, offset, limit, 4, 'an element ID');
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + bytes[offset + i]!;
  const sizeAt = offset + idLength;
  const sizeLength = vintLength(bytes, sizeAt, limit, 8, 'an element size');
  const { value, allOnes } = vintValue(bytes, sizeAt, sizeLength);
  const dataStart = sizeAt + sizeLength;
  // All value bits set is the reserved "unknown size"; a size past 2^53 cannot be real here either.
  const dataEnd = allOnes ? undefined : dataStart + value;
  if (dataEnd !== undefined && !Number.isSafeInteger(dataEnd)) throw new AudioFormatError('webm', `Corrupt WebM data: an element at byte ${offset} claims ${value} bytes`);
  return { id, start: offset, dataStart, dataEnd };
}

/** An EBML variable-length integer with its marker removed (a track number in a Block, a lace size). */
export function readVint(bytes: Uint8Array, offset: number, limit: number, what: string): { value: number; length: number } {
  const length = vintLength(bytes, offset, limit, 8, what);
  return { value: vintValue(bytes, offset, length).value, length };
}

function vintLength(bytes: Uint8Array, offset: number, limit: number, maxLength: number, what: string): number {
  if (offset >= limit) throw truncated(what, offset);
  const first = bytes[offset]!;
  const length = first === 0 ? 9 : Math.clz32(first) - 23;
  if (length > maxLength) throw new AudioFormatError('webm', `Corrupt WebM data: ${what} at byte ${offset} is not a valid EBML number`);
  if (offset + length > limit) throw truncated(what, offset);
  return length;
}

function vintValue(bytes: Uint8Array, offset: number, length: number): { value: number; allOnes: boolean } {
  let value = bytes[offset]! & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, allOnes };
}

function truncated(what: string, offset: number): AudioFormatError {
  return new AudioFormatError('webm', `The WebM data is truncated at byte ${offset}, inside ${what}`);
}

/** A big-endian unsigned integer element body (0-8 bytes); beyond 2^53 precision is lost, which no field used here reaches. */
export function readUint(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 256 + bytes[i]!;
  return value;
}

/** A big-endian two's complement integer element body (DiscardPadding may be negative). */
export function readInt(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start) return 0;
  const unsigned = readUint(bytes, start, end);
  const bits = (end - start) * 8;
  return bytes[start]! & 0x80 ? unsigned - 2 ** bits : unsigned;
}

/** A 4- or 8-byte IEEE float element body; 0 for the empty body the spec allows. */
export function readFloat(bytes: Uint8Array, start: number, end: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, end - start);
  if (end - start === 4) return view.getFloat32(0);
  if (end - start === 8) return view.getFloat64(0);
  return 0;
}

/** An ASCII string element body; Matroska pads strings with zero bytes. */
export function readString(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, end)).toString('latin1').replace(/\0+$/, '');
}

import { AudioFormatError } from '#audio';
import { oggCrc32 } from './ogg-crc32';

export interface OggLogicalStream {
  serial: number;
  /** Complete packets in order; a packet still open when the data ends is dropped. */
  packets: Uint8Array[];
  /** Granule position of the last page that had one (-1n if none did). */
  lastGranule: bigint;
  endOfStream: boolean;
}

const HEADER_BYTES = 27;

/**
 * Splits Ogg data into its logical streams' packets, checking every page's capture pattern, version
 * and CRC. Throws {@link AudioFormatError} for data that is not Ogg, is cut inside a page, or is corrupt.
 */
export function readOggStreams(bytes: Uint8Array): OggLogicalStream[] {
  if (bytes.length === 0) throw new AudioFormatError('ogg', 'The Ogg data is empty (0 bytes)');
  if (!isOggPageAt(bytes, 0)) throw new AudioFormatError('ogg', 'Not an Ogg stream: it does not start with "OggS"');
  const streams = new Map<number, OggLogicalStream & { partial: Uint8Array[] }>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (!isOggPageAt(bytes, offset)) throw new AudioFormatError('ogg', `Corrupt Ogg stream: no page starts at byte ${offset}`);
    if (offset + HEADER_BYTES > bytes.length) throw new AudioFormatError('ogg', `The Ogg data is truncated inside the page header at byte ${offset}`);
    if (bytes[offset + 4] !== 0) throw new AudioFormatError('ogg', `Unsupported Ogg version ${bytes[offset + 4]}`);
    const flags = bytes[offset + 5]!;
    const granule = view.getBigInt64(offset + 6, true);
    const serial = view.getUint32(offset + 14, true);
    const segmentCount = bytes[offset + 26]!;
    const tableEnd = offset + HEADER_BYTES + segmentCount;
    if (tableEnd > bytes.length) throw new AudioFormatError('ogg', `The Ogg data is truncated inside a page at byte ${offset}`);
    const lacing = bytes.subarray(offset + HEADER_BYTES, tableEnd);
    const pageEnd = tableEnd + lacing.reduce((sum, value) => sum + value, 0);
    if (pageEnd > bytes.length) throw new AudioFormatError('ogg', `The Ogg data is truncated: the page at byte ${offset} needs ${pageEnd - offset} bytes`);
    checkCrc(bytes.subarray(offset, pageEnd), view.getUint32(offset + 22, true), offset);

    let stream = streams.get(serial);
    if (!stream) {
      stream = { serial, packets: [], lastGranule: -1n, endOfStream: false, partial: [] };
      streams.set(serial, stream);
    }
    const continued = (flags & 0x01) !== 0;
    // A continued page whose packet start we never saw (data that begins mid-packet) or a fresh page
    // after an unfinished packet (a page went missing): the fragment cannot be decoded, drop it.
    let skipping = continued && stream.partial.length === 0;
    if (!continued) stream.partial = [];
    let at = tableEnd;
    for (const value of lacing) {
      const segment = bytes.subarray(at, at + value);
      at += value;
      if (skipping) {
        if (value < 255) skipping = false;
        continue;
      }
      stream.partial.push(segment);
      if (value < 255) {
        stream.packets.push(Buffer.concat(stream.partial));
        stream.partial = [];
      }
    }
    if (granule !== -1n) stream.lastGranule = granule;
    if (flags & 0x04) stream.endOfStream = true;
    offset = pageEnd;
  }
  return [...streams.values()].map(({ partial: _partial, ...stream }) => stream);
}

function isOggPageAt(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0x4f && bytes[offset + 1] === 0x67 && bytes[offset + 2] === 0x67 && bytes[offset + 3] === 0x53;
}

function checkCrc(page: Uint8Array, expected: number, offset: number): void {
  const copy = Uint8Array.from(page); // a copy: Buffer#slice would be a view and the zeroing would reach the caller's bytes
  copy.fill(0, 22, 26);
  const actual = oggCrc32(copy);
  if (actual !== expected) throw new AudioFormatError('ogg', `Corrupt Ogg page at byte ${offset}: checksum ${hex(actual)}, expected ${hex(expected)}`);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

import { AudioFormatError } from '#audio';
import { EbmlId, hasEbmlMagic, readElementHeader, readFloat, readInt, readString, readUint, readVint, SEGMENT_CHILDREN, type EbmlElement } from './webm-ebml';

export interface WebmTrack {
  number: number;
  /** 1 video, 2 audio, 17 subtitles... */
  type: number;
  codecId: string;
  codecPrivate: Uint8Array | undefined;
  /** Nanoseconds the decoder's output lags its input (Opus: the pre-skip). */
  codecDelayNs: number;
  channels: number;
  samplingFrequency: number;
  /** Frames are compressed or encrypted (ContentEncodings), which this reader does not undo. */
  encoded: boolean;
}

export interface WebmFrame {
  data: Uint8Array;
  /** Nanoseconds of padding to drop from the end of this frame's decoded output (positive only). */
  discardPaddingNs: number;
}

export interface WebmContents {
  docType: string;
  tracks: WebmTrack[];
  /** Frames by track number, in file order, laced blocks split into their frames. */
  frames: Map<number, WebmFrame[]>;
}

/**
 * Demuxes the first Segment of a WebM or Matroska file: its tracks and every frame of every track.
 * Reads what MediaRecorder writes (Segment and Clusters of unknown size, SimpleBlocks, no Cues) as
 * well as muxers' files (sized Clusters, BlockGroups, Xiph, EBML and fixed-size lacing). Frames are
 * views into `bytes`, not copies. Throws {@link AudioFormatError} for data that is not EBML, is cut
 * short, or whose elements do not nest.
 */
export function readWebm(bytes: Uint8Array): WebmContents {
  if (bytes.length === 0) throw new AudioFormatError('webm', 'The WebM data is empty (0 bytes)');
  return new WebmReader(bytes).read();
}

class WebmReader {
  /** The spec's default, for files that leave DocType out. */
  private docType = 'matroska';
  private readonly tracks: WebmTrack[] = [];
  private readonly frames = new Map<number, WebmFrame[]>();

  constructor(private readonly bytes: Uint8Array) {}

  read(): WebmContents {
    const { bytes } = this;
    if (!hasEbmlMagic(bytes)) throw new AudioFormatError('webm', 'Not a WebM file: it does not start with the EBML magic 1A 45 DF A3');
    const header = readElementHeader(bytes, 0, bytes.length);
    const headerEnd = this.knownEnd(header, bytes.length);
    this.forEachChild(header.dataStart, headerEnd, (child, end) => {
      if (child.id === EbmlId.docType) this.docType = readString(bytes, child.dataStart, end);
    });
    if (this.docType !== 'webm' && this.docType !== 'matroska') throw new AudioFormatError('webm', `Not a WebM file: its EBML document type is "${this.docType}"`);

    let at = headerEnd;
    while (at < bytes.length) {
      const element = readElementHeader(bytes, at, bytes.length);
      if (element.id === EbmlId.segment) {
        this.readSegment(element);
        return { docType: this.docType, tracks: this.tracks, frames: this.frames };
      }
      at = this.knownEnd(element, bytes.length);
    }
    throw new AudioFormatError('webm', 'The WebM data is truncated: it has no Segment after its EBML header');
  }

  private readSegment(segment: EbmlElement): void {
    const end = segment.dataEnd === undefined ? this.bytes.length : this.knownEnd(segment, this.bytes.length);
    let at = segment.dataStart;
    while (at < end) {
      const child = readElementHeader(this.bytes, at, end);
      // A Segment of unknown size runs to the end of the data, or to the next file's EBML header
      // when recordings were concatenated; only the first is read.
      if (child.id === EbmlId.ebml && segment.dataEnd === undefined) return;
      if (child.id === EbmlId.cluster) {
        at = this.readCluster(child, end);
        continue;
      }
      const childEnd = this.knownEnd(child, end);
      if (child.id === EbmlId.tracks) this.readTracks(child.dataStart, childEnd);
      at = childEnd;
    }
  }

  /** Answers where the Cluster ends: its size, or for an unknown size the next Segment-level element. */
  private readCluster(cluster: EbmlElement, segmentEnd: number): number {
    const sized = cluster.dataEnd !== undefined;
    const limit = sized ? this.knownEnd(cluster, segmentEnd) : segmentEnd;
    let at = cluster.dataStart;
    while (at < limit) {
      const child = readElementHeader(this.bytes, at, limit);
      if (!sized && (SEGMENT_CHILDREN.has(child.id) || child.id === EbmlId.ebml)) return at;
      const childEnd = this.knownEnd(child, limit);
      if (child.id === EbmlId.simpleBlock) this.readBlock(child.dataStart, childEnd, 0);
      else if (child.id === EbmlId.blockGroup) this.readBlockGroup(child.dataStart, childEnd);
      at = childEnd;
    }
    return limit;
  }

  private readBlockGroup(start: number, end: number): void {
    let block: { start: number; end: number } | undefined;
    let discardPaddingNs = 0;
    this.forEachChild(start, end, (child, childEnd) => {
      if (child.id === EbmlId.block) block = { start: child.dataStart, end: childEnd };
      else if (child.id === EbmlId.discardPadding) discardPaddingNs = Math.max(0, readInt(this.bytes, child.dataStart, childEnd));
    });
    if (block) this.readBlock(block.start, block.end, discardPaddingNs);
  }

  /** A Block or SimpleBlock body: track number, 16-bit relative timestamp, flags, then one frame or a lace of them. */
  private readBlock(start: number, end: number, discardPaddingNs: number): void {
    const { bytes } = this;
    const track = readVint(bytes, start, end, 'a block track number');
    const flagsAt = start + track.length + 2;
    if (flagsAt >= end) throw new AudioFormatError('webm', `Corrupt WebM data: the block at byte ${start} is too short for its header`);
    const lacing = (bytes[flagsAt]! >> 1) & 0x03;
    const sizes = lacing === 0 ? [end - flagsAt - 1] : this.laceSizes(lacing, flagsAt + 1, end);
    const list = this.frames.get(track.value) ?? [];
    this.frames.set(track.value, list);
    let at = end - sizes.reduce((sum, size) => sum + size, 0);
    sizes.forEach((size, index) => {
      // Padding was added after the block's last sample, so it belongs to the last frame of a lace.
      list.push({ data: bytes.subarray(at, at + size), discardPaddingNs: index === sizes.length - 1 ? discardPaddingNs : 0 });
      at += size;
    });
  }

  private laceSizes(lacing: number, countAt: number, end: number): number[] {
    const { bytes } = this;
    const corrupt = (why: string) => new AudioFormatError('webm', `Corrupt WebM data: the laced block at byte ${countAt} ${why}`);
    if (countAt >= end) throw corrupt('has no frame count');
    const count = bytes[countAt]! + 1;
    let at = countAt + 1;
    const sizes: number[] = [];
    if (lacing === 1) {
      // Xiph lacing: each size but the last as a run of 255s ended by a smaller byte.
      for (let frame = 0; frame < count - 1; frame++) {
        let size = 0;
        let byte: number;
        do {
          if (at >= end) throw corrupt('ends inside its lace sizes');
          byte = bytes[at++]!;
          size += byte;
        } while (byte === 255);
        sizes.push(size);
      }
    } else if (lacing === 3) {
      // EBML lacing: the first size as an unsigned number, each next one as a signed difference.
      let size = 0;
      for (let frame = 0; frame < count - 1; frame++) {
        const vint = readVint(bytes, at, end, 'a lace size');
        size = frame === 0 ? vint.value : size + vint.value - (2 ** (7 * vint.length - 1) - 1);
        sizes.push(size);
        at += vint.length;
      }
    } else {
      const payload = end - at;
      if (payload % count !== 0) throw corrupt(`splits ${payload} bytes into ${count} equal frames`);
      return Array.from({ length: count }, () => payload / count);
    }
    const last = end - at - sizes.reduce((sum, size) => sum + size, 0);
    if (sizes.some((size) => size < 0) || last < 0) throw corrupt('has lace sizes larger than the block');
    sizes.push(last);
    return sizes;
  }

  private readTracks(start: number, end: number): void {
    this.forEachChild(start, end, (entry, entryEnd) => {
      if (entry.id !== EbmlId.trackEntry) return;
      // Channels 1 and 8 kHz are the spec's defaults for a track that leaves them out.
      const track: WebmTrack = { number: 0, type: 0, codecId: '', codecPrivate: undefined, codecDelayNs: 0, channels: 1, samplingFrequency: 8000, encoded: false };
      this.forEachChild(entry.dataStart, entryEnd, (field, fieldEnd) => {
        const { bytes } = this;
        switch (field.id) {
          case EbmlId.trackNumber:
            track.number = readUint(bytes, field.dataStart, fieldEnd);
            break;
          case EbmlId.trackType:
            track.type = readUint(bytes, field.dataStart, fieldEnd);
            break;
          case EbmlId.codecId:
            track.codecId = readString(bytes, field.dataStart, fieldEnd);
            break;
          case EbmlId.codecPrivate:
            track.codecPrivate = bytes.subarray(field.dataStart, fieldEnd);
            break;
          case EbmlId.codecDelay:
            track.codecDelayNs = readUint(bytes, field.dataStart, fieldEnd);
            break;
          case EbmlId.contentEncodings:
            track.encoded = true;
            break;
          case EbmlId.audio:
            this.forEachChild(field.dataStart, fieldEnd, (setting, settingEnd) => {
              if (setting.id === EbmlId.channels) track.channels = readUint(bytes, setting.dataStart, settingEnd);
              else if (setting.id === EbmlId.samplingFrequency) track.samplingFrequency = readFloat(bytes, setting.dataStart, settingEnd);
            });
            break;
        }
      });
      this.tracks.push(track);
    });
  }

  private forEachChild(start: number, end: number, visit: (child: EbmlElement, childEnd: number) => void): void {
    let at = start;
    while (at < end) {
      const child = readElementHeader(this.bytes, at, end);
      const childEnd = this.knownEnd(child, end);
      visit(child, childEnd);
      at = childEnd;
    }
  }

  /** The end of an element that must have a size and fit inside its parent (which ends at `limit`). */
  private knownEnd(element: EbmlElement, limit: number): number {
    const name = `element 0x${element.id.toString(16).toUpperCase()} at byte ${element.start}`;
    if (element.dataEnd === undefined) throw new AudioFormatError('webm', `Unsupported WebM data: ${name} has an unknown size (only Segments and Clusters may)`);
    if (element.dataEnd <= limit) return element.dataEnd;
    if (limit === this.bytes.length) {
      throw new AudioFormatError('webm', `The WebM data is truncated: ${name} needs ${element.dataEnd - element.start} bytes, ${limit - element.start} are there`);
    }
    throw new AudioFormatError('webm', `Corrupt WebM data: ${name} runs past the end of the element that holds it`);
  }
}

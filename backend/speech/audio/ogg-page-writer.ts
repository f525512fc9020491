import { oggCrc32 } from './ogg-crc32';

const HEADER_BYTES = 27;
const MAX_SEGMENTS = 255;
const FLAG_CONTINUED = 0x01;
const FLAG_FIRST = 0x02;
const FLAG_LAST = 0x04;
/** A page on which no packet ends carries granule position -1. */
const NO_GRANULE = -1n;

/**
 * Packs the packets of one logical stream into Ogg pages (RFC 3533). A packet is laced into 255-byte
 * segments; a packet longer than the room left on a page continues on the next one. The caller
 * decides where pages end ({@link flushPage}); a page also ends when its 255 segments are used.
 */
export class OggPageWriter {
  private readonly pages: Uint8Array[] = [];
  private sequence = 0;
  private segments: number[] = [];
  private body: Uint8Array[] = [];
  private granule = NO_GRANULE;
  private continued = false;

  constructor(private readonly serial: number) {}

  /** `granulePosition` is the stream position once this packet is decoded (for Opus: 48 kHz samples, pre-skip included). */
  writePacket(packet: Uint8Array, granulePosition: bigint, options: { endOfStream?: boolean } = {}): void {
    const lacing = lacingValues(packet.length);
    let segment = 0;
    let offset = 0;
    while (segment < lacing.length) {
      if (this.segments.length === MAX_SEGMENTS) {
        this.emitPage(false);
        this.continued = segment > 0; // the next page starts in the middle of this packet
      }
      const take = Math.min(MAX_SEGMENTS - this.segments.length, lacing.length - segment);
      const values = lacing.slice(segment, segment + take);
      const bytes = values.reduce((sum, value) => sum + value, 0);
      this.segments.push(...values);
      this.body.push(packet.subarray(offset, offset + bytes));
      offset += bytes;
      segment += take;
    }
    this.granule = granulePosition;
    if (options.endOfStream) this.emitPage(true);
  }

  /** Ends the current page, if it holds anything. Header packets each go on a page of their own. */
  flushPage(): void {
    if (this.segments.length > 0) this.emitPage(false);
  }

  /** Every page written so far, concatenated (the current page is flushed first). */
  bytes(): Uint8Array {
    this.flushPage();
    return Buffer.concat(this.pages);
  }

  private emitPage(last: boolean): void {
    const bodyLength = this.body.reduce((sum, chunk) => sum + chunk.length, 0);
    const page = new Uint8Array(HEADER_BYTES + this.segments.length + bodyLength);
    const view = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53]); // "OggS"
    page[4] = 0; // version
    page[5] = (this.continued ? FLAG_CONTINUED : 0) | (this.sequence === 0 ? FLAG_FIRST : 0) | (last ? FLAG_LAST : 0);
    view.setBigInt64(6, this.granule, true);
    view.setUint32(14, this.serial, true);
    view.setUint32(18, this.sequence, true);
    page[26] = this.segments.length;
    page.set(this.segments, HEADER_BYTES);
    let at = HEADER_BYTES + this.segments.length;
    for (const chunk of this.body) {
      page.set(chunk, at);
      at += chunk.length;
    }
    view.setUint32(22, oggCrc32(page), true); // computed with the checksum field still zero
    this.pages.push(page);
    this.sequence++;
    this.segments = [];
    this.body = [];
    this.granule = NO_GRANULE;
    this.continued = false;
  }
}

/** 255 for every full 255 bytes, then the remainder (0 when the length is a multiple of 255). */
function lacingValues(length: number): number[] {
  const values = new Array<number>(Math.floor(length / 255)).fill(255);
  values.push(length % 255);
  return values;
}

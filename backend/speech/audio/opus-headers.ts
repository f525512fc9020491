import { AudioFormatError } from '#audio';

/** The identification header (RFC 7845 §5.1), the first packet of an Ogg Opus stream. */
export interface OpusHead {
  channels: number;
  /** 48 kHz samples to drop from the start of the decoded output (the encoder's lookahead). */
  preSkip: number;
  /** The rate of the audio before encoding; informational, Opus always decodes at 48 kHz here. */
  inputSampleRate: number;
  /** Q7.8 dB to apply to the decoded output. */
  outputGainQ8: number;
  mappingFamily: number;
}

export function buildOpusHead(head: Pick<OpusHead, 'channels' | 'preSkip' | 'inputSampleRate'>): Uint8Array {
  const bytes = new Uint8Array(19);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from('OpusHead', 'ascii'));
  bytes[8] = 1; // version
  bytes[9] = head.channels;
  view.setUint16(10, head.preSkip, true);
  view.setUint32(12, head.inputSampleRate, true);
  view.setInt16(16, 0, true); // output gain
  bytes[18] = 0; // channel mapping family 0: mono or stereo, no mapping table
  return bytes;
}

/** The comment header (RFC 7845 §5.2): vendor string and `KEY=value` comments. */
export function buildOpusTags(vendor: string, comments: string[] = []): Uint8Array {
  const encoded = [vendor, ...comments].map((text) => Buffer.from(text, 'utf8'));
  const bytes = new Uint8Array(8 + 4 + encoded[0]!.length + 4 + encoded.slice(1).reduce((sum, item) => sum + 4 + item.length, 0));
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from('OpusTags', 'ascii'));
  let at = 8;
  encoded.forEach((item, index) => {
    view.setUint32(at, item.length, true);
    bytes.set(item, at + 4);
    at += 4 + item.length;
    if (index === 0) {
      view.setUint32(at, comments.length, true);
      at += 4;
    }
  });
  return bytes;
}

export function parseOpusHead(packet: Uint8Array): OpusHead {
  if (packet.length < 19 || Buffer.from(packet.subarray(0, 8)).toString('ascii') !== 'OpusHead') {
    throw new AudioFormatError('opus', 'Not an Ogg Opus stream: the first packet is not an OpusHead header');
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const version = packet[8]!;
  // RFC 7845: versions 0-15 are compatible with version 1; higher major versions are not.
  if (version > 15) throw new AudioFormatError('opus', `Unsupported OpusHead version ${version}`);
  return {
    channels: packet[9]!,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    outputGainQ8: view.getInt16(16, true),
    mappingFamily: packet[18]!,
  };
}

export function isOpusTags(packet: Uint8Array): boolean {
  return packet.length >= 8 && Buffer.from(packet.subarray(0, 8)).toString('ascii') === 'OpusTags';
}

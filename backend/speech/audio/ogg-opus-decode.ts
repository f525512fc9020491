import { AudioFormatError, type FloatAudio } from '#audio';
import { readOggStreams } from './ogg-page-reader';
import { isOpusTags, parseOpusHead } from './opus-headers';
import { checkOpusChannelLayout, decodeOpusPackets, trimOpusOutput } from './opus-packets-decode';

const OPUS_RATE = 48_000;

/**
 * An Ogg Opus file (a WhatsApp voice note, an upload) → mono floats at 48 kHz, with the pre-skip
 * dropped, the end trimmed to the last granule position and the header's output gain applied.
 * Mono and stereo streams (mapping family 0, or 1 with up to two channels) are read; surround is not.
 */
export function decodeOggOpus(bytes: Uint8Array): FloatAudio {
  const streams = readOggStreams(bytes);
  const stream = streams.find((candidate) => candidate.packets[0] !== undefined && isOpusHeadPacket(candidate.packets[0]));
  if (!stream) throw new AudioFormatError('opus', 'The Ogg data holds no Opus stream (no OpusHead header)');
  const head = parseOpusHead(stream.packets[0]!);
  checkOpusChannelLayout(head);
  if (!stream.packets[1] || !isOpusTags(stream.packets[1])) throw new AudioFormatError('opus', 'The Ogg Opus stream has no OpusTags header');
  const audioPackets = stream.packets.slice(2);
  if (audioPackets.length === 0) throw new AudioFormatError('opus', 'The Ogg Opus stream has no audio packets');

  const mono = decodeOpusPackets(audioPackets.map((data) => ({ data })), head.channels);
  // The last granule position is pre-skip + the real length; beyond it is padding of the last frame.
  const end = stream.lastGranule >= BigInt(head.preSkip) && stream.lastGranule <= BigInt(mono.length) ? Number(stream.lastGranule) : mono.length;
  const samples = trimOpusOutput(mono, head, head.preSkip, end);
  return { samples, sampleRate: OPUS_RATE };
}

function isOpusHeadPacket(packet: Uint8Array): boolean {
  return packet.length >= 8 && Buffer.from(packet.subarray(0, 8)).toString('ascii') === 'OpusHead';
}

import { AudioFormatError, type FloatAudio } from '#audio';
import { parseOpusHead } from './opus-headers';
import { checkOpusChannelLayout, decodeOpusPackets, trimOpusOutput } from './opus-packets-decode';
import { readWebm } from './webm-demux';

const OPUS_RATE = 48_000;

/**
 * A WebM/Matroska file with an Opus track (what browsers' MediaRecorder records, `audio/webm;codecs=opus`)
 * → mono floats at 48 kHz: the first Opus track's frames decoded in file order, the codec delay
 * dropped from the start, DiscardPadding from the end, OpusHead's output gain applied.
 */
export function decodeWebmOpus(bytes: Uint8Array): FloatAudio {
  const webm = readWebm(bytes);
  const track = webm.tracks.find((candidate) => candidate.codecId === 'A_OPUS');
  if (!track) {
    const found = webm.tracks.map((candidate) => candidate.codecId || 'no codec').join(', ');
    throw new AudioFormatError('webm', found ? `The WebM data holds no Opus track (it has ${found}); only Opus audio is read` : 'The WebM data holds no tracks');
  }
  if (track.encoded) throw new AudioFormatError('webm', 'Unsupported WebM data: the Opus track is compressed or encrypted (ContentEncodings)');
  const codecPrivate = track.codecPrivate;
  if (!codecPrivate || codecPrivate.length < 19 || Buffer.from(codecPrivate.subarray(0, 8)).toString('latin1') !== 'OpusHead') {
    throw new AudioFormatError('webm', 'The WebM Opus track has no OpusHead header in its CodecPrivate');
  }
  const head = parseOpusHead(codecPrivate);
  checkOpusChannelLayout(head);
  const frames = webm.frames.get(track.number) ?? [];
  if (frames.length === 0) throw new AudioFormatError('webm', 'The WebM Opus track has no audio packets');

  const mono = decodeOpusPackets(
    frames.map((frame) => ({ data: frame.data, discardEndSamples: nanosecondsToSamples(frame.discardPaddingNs) })),
    head.channels,
  );
  // Matroska's CodecDelay is the authoritative pre-skip; MediaRecorder writes neither it nor a
  // non-zero OpusHead pre-skip, so its recordings start a few ms of encoder lookahead late.
  const preSkip = track.codecDelayNs > 0 ? nanosecondsToSamples(track.codecDelayNs) : head.preSkip;
  return { samples: trimOpusOutput(mono, head, preSkip), sampleRate: OPUS_RATE };
}

function nanosecondsToSamples(nanoseconds: number): number {
  return Math.round((nanoseconds * OPUS_RATE) / 1e9);
}

import type * as Mpg123 from 'mpg123-decoder';
import { AudioFormatError, type FloatAudio } from '#audio';
import { scanMpegFrames } from './mp3-frames';

/** Loaded on the first MP3, not at start-up: most sessions never see one. */
let mpg123: Promise<typeof Mpg123> | undefined;

/**
 * An MP3 (or MP2/MP1) file → mono floats at its own rate, decoded by libmpg123 compiled to WASM
 * (`mpg123-decoder`). Asynchronous because that package compiles its WASM asynchronously; the module
 * is compiled once and each call then costs a fresh decoder (well under a millisecond). mpg123 trims
 * encoder delay and padding when the file has a LAME/Xing header (its gapless mode). Frames are checked
 * first ({@link scanMpegFrames}), so junk, truncation and stray data throw {@link AudioFormatError}
 * with a reason rather than decoding to noise.
 */
export async function decodeMp3(bytes: Uint8Array): Promise<FloatAudio> {
  const stream = scanMpegFrames(bytes);
  const { MPEGDecoder } = await (mpg123 ??= import('mpg123-decoder'));
  const decoder = new MPEGDecoder();
  await decoder.ready;
  let decoded: Mpg123.MPEGDecodedAudio;
  try {
    decoded = withoutConsoleErrors(() => decoder.decode(bytes.subarray(stream.start, stream.end)));
  } finally {
    decoder.free();
  }
  const [error] = decoded.errors;
  if (error) throw new AudioFormatError('mp3', `Corrupt MP3 audio: mpg123 reports "${error.message}" at frame ${error.frameNumber + 1} of ${stream.frames}`);
  const [left, right] = decoded.channelData;
  if (!left || decoded.samplesDecoded === 0) throw new AudioFormatError('mp3', `The MP3 data decodes to no audio (${stream.frames} frames)`);
  // The decoder always answers two channels, the second a copy of the first for a mono file.
  if (stream.first.channels === 1 || !right) return { samples: left, sampleRate: decoded.sampleRate };
  const samples = new Float32Array(left.length);
  for (let i = 0; i < samples.length; i++) samples[i] = (left[i]! + right[i]!) / 2;
  return { samples, sampleRate: decoded.sampleRate };
}

/**
 * mpg123-decoder prints every bitstream error with console.error. The errors are reported in the
 * thrown AudioFormatError instead, so that a server decoding uploads does not spill attacker-chosen
 * noise into its log. Safe to swap the global: decode() is synchronous, nothing else runs meanwhile.
 */
function withoutConsoleErrors<T>(action: () => T): T {
  const original = console.error;
  console.error = () => undefined;
  try {
    return action();
  } finally {
    console.error = original;
  }
}

import { AudioFormatError } from './audio-format-error';
import type { FloatAudio } from './audio-types';
import { downmixToMono } from './levels';
import { INT16_SCALE } from './pcm16';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/**
 * Writers that stream (espeak-ng --stdout, OpenAI's wav responses, ffmpeg to a pipe) cannot know the
 * length up front and put a huge placeholder in the data size. Anything this large means "to the end".
 */
const STREAMING_SIZE_PLACEHOLDER = 0x7f000000;

interface WavFormat {
  encoding: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

/**
 * Any common WAV (PCM 8/16/24/32-bit, float 32/64-bit, WAVE_FORMAT_EXTENSIBLE, any channel count and
 * rate) → mono floats at the file's own rate. Throws {@link AudioFormatError} saying what is wrong,
 * and only that, for any bytes at all (uploads are untrusted; tests/backend/base/audio fuzzes it).
 */
export function decodeWav(bytes: Uint8Array): FloatAudio {
  if (bytes.length === 0) throw new AudioFormatError('wav', 'The WAV data is empty (0 bytes)');
  if (bytes.length < 12) throw new AudioFormatError('wav', `The WAV data is truncated: ${bytes.length} bytes, not even a RIFF header`);
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    throw new AudioFormatError('wav', `Not a WAV file: it starts with "${printable(bytes.subarray(0, 4))}", not "RIFF....WAVE"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: WavFormat | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new AudioFormatError('wav', `Invalid WAV fmt chunk: ${size} bytes, at least 16 needed`);
      if (body + size > bytes.length) throw new AudioFormatError('wav', 'The WAV data is truncated inside its fmt chunk');
      format = readFormat(view, body, size);
    } else if (id === 'data') {
      if (!format) throw new AudioFormatError('wav', 'The WAV data chunk comes before its fmt chunk');
      const available = bytes.length - body;
      if (size > available && size < STREAMING_SIZE_PLACEHOLDER) {
        throw new AudioFormatError('wav', `The WAV data is truncated: the data chunk says ${size} bytes, ${available} are there`);
      }
      return { samples: readSamples(view, body, Math.min(size, available), format), sampleRate: format.sampleRate };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw new AudioFormatError('wav', format ? 'The WAV data is truncated: no data chunk' : 'The WAV data is truncated: no fmt chunk');
}

function readFormat(view: DataView, at: number, size: number): WavFormat {
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === FORMAT_EXTENSIBLE) {
    // The real format is the first two bytes of the SubFormat GUID, 24 bytes into the extension.
    if (size < 40) throw new AudioFormatError('wav', 'The WAV fmt chunk is WAVE_FORMAT_EXTENSIBLE but too short to say its sub-format');
    tag = view.getUint16(at + 24, true);
  }
  const encoding = tag === FORMAT_PCM ? 'pcm' : tag === FORMAT_FLOAT ? 'float' : undefined;
  if (!encoding) throw new AudioFormatError('wav', `Unsupported WAV encoding (format tag ${tag}); only PCM and IEEE float are read`);
  const supportedBits = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!supportedBits.includes(bitsPerSample)) throw new AudioFormatError('wav', `Unsupported WAV sample size: ${bitsPerSample}-bit ${encoding}`);
  if (channels === 0 || sampleRate === 0) throw new AudioFormatError('wav', `Invalid WAV format: ${channels} channels at ${sampleRate} Hz`);
  if (blockAlign !== channels * (bitsPerSample / 8)) throw new AudioFormatError('wav', `Invalid WAV format: block align ${blockAlign} for ${channels} × ${bitsPerSample}-bit`);
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign };
}

function readSamples(view: DataView, at: number, size: number, format: WavFormat): Float32Array {
  const bytesPerSample = format.bitsPerSample / 8;
  const count = Math.floor(size / format.blockAlign) * format.channels; // a partial last frame is dropped
  const read = sampleReader(view, format);
  const interleaved = new Float32Array(count);
  for (let i = 0; i < count; i++) interleaved[i] = read(at + i * bytesPerSample);
  return downmixToMono(interleaved, format.channels);
}

function sampleReader(view: DataView, format: WavFormat): (at: number) => number {
  if (format.encoding === 'float') return format.bitsPerSample === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (format.bitsPerSample) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return (at) => view.getInt16(at, true) / INT16_SCALE;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
}

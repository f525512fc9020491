import { AudioFormatError, decodeWav, type FloatAudio } from '#audio';
import { decodeMp3 } from './mp3-decode';
import { parseMpegFrameHeader } from './mp3-frames';
import { decodeOggOpus } from './ogg-opus-decode';
import { hasEbmlMagic } from './webm-ebml';
import { decodeWebmOpus } from './webm-opus-decode';

export type AudioContainer = 'wav' | 'ogg' | 'webm' | 'mp3';

/** What the bytes are, from their magic number; undefined for anything else (AAC, FLAC, M4A...). */
export function sniffAudioContainer(bytes: Uint8Array): AudioContainer | undefined {
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  if (magic === 'RIFF') return 'wav';
  if (magic === 'OggS') return 'ogg';
  if (hasEbmlMagic(bytes)) return 'webm';
  // MP3 has no magic: an ID3v2 tag, or a frame header whose fields are all valid (which ADTS AAC's
  // sync word, with its layer bits 00, is not).
  if (magic.startsWith('ID3') || parseMpegFrameHeader(bytes, 0)) return 'mp3';
  return undefined;
}

/**
 * A WAV, MP3, Ogg Opus or WebM Opus file, whichever it is → mono floats at its own rate (48 kHz
 * for Opus). Asynchronous because the MP3 decoder's WASM compiles asynchronously; the other formats
 * decode synchronously, and their decoders ({@link decodeWav}, {@link decodeOggOpus},
 * {@link decodeWebmOpus}) can be called directly where the format is known. Rejects with
 * {@link AudioFormatError} for anything unreadable.
 */
export async function decodeAudioFile(bytes: Uint8Array): Promise<FloatAudio> {
  if (bytes.length === 0) throw new AudioFormatError('audio', 'The audio data is empty (0 bytes)');
  switch (sniffAudioContainer(bytes)) {
    case 'wav':
      return decodeWav(bytes);
    case 'ogg':
      return decodeOggOpus(bytes);
    case 'webm':
      return decodeWebmOpus(bytes);
    case 'mp3':
      return decodeMp3(bytes);
    default:
      throw new AudioFormatError('audio', 'Unsupported audio format: only WAV, MP3, Ogg Opus and WebM Opus can be read');
  }
}

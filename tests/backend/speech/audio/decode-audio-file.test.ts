import { describe, expect, it } from 'vitest';
import { AudioFormatError, encodeWav, floatToPcm16 } from '#audio';
import { decodeAudioFile, encodeOggOpus, sniffAudioContainer } from '../../../../backend/speech/audio';
import { sine } from './audio-tools';
import { buildWebm, encodeOpusPackets } from './webm-writer';

describe('sniffAudioContainer', () => {
  it('knows WAV, Ogg, WebM and MP3 by their first bytes', () => {
    expect(sniffAudioContainer(Buffer.from('RIFF\0\0\0\0WAVE'))).toBe('wav');
    expect(sniffAudioContainer(Buffer.from('OggS\0\u0002'))).toBe('ogg');
    expect(sniffAudioContainer(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f))).toBe('webm');
    expect(sniffAudioContainer(Buffer.from('ID3\u0004\0\0\0\0\0\0'))).toBe('mp3');
    expect(sniffAudioContainer(Uint8Array.of(0xff, 0xfb, 0x90, 0x64))).toBe('mp3'); // MPEG-1 Layer III frame header
    expect(sniffAudioContainer(Uint8Array.of(0xff, 0xf3, 0x48, 0xc4))).toBe('mp3'); // MPEG-2 Layer III
  });

  it('answers undefined for formats it does not read, and for a lone sync word', () => {
    expect(sniffAudioContainer(Buffer.from('fLaC\0\0\0\u0022'))).toBeUndefined();
    expect(sniffAudioContainer(Uint8Array.of(0xff, 0xf1, 0x50, 0x80))).toBeUndefined(); // ADTS AAC
    expect(sniffAudioContainer(Buffer.from('\0\0\0\u0020ftypM4A '))).toBeUndefined();
    expect(sniffAudioContainer(Uint8Array.of(0xff, 0xfb))).toBeUndefined();
    expect(sniffAudioContainer(new Uint8Array(0))).toBeUndefined();
  });
});

describe('decodeAudioFile', () => {
  it('picks the WAV decoder from the magic number, and says what is wrong with a RIFF that is not WAVE', async () => {
    const wav = encodeWav({ pcm: Int16Array.from([1, 2, 3]), sampleRate: 16000 });
    expect(sniffAudioContainer(wav)).toBe('wav');
    expect((await decodeAudioFile(wav)).samples.length).toBe(3);
    await expect(decodeAudioFile(Buffer.from('RIFF\u0004\u0000\u0000\u0000WAVX'))).rejects.toThrow(/Not a WAV file/);
  });

  it('decodes each of the four formats to mono floats at the file rate', async () => {
    const tone = sine(440, 48000, 0.5, 0.5);
    const wav = encodeWav({ pcm: floatToPcm16(tone), sampleRate: 48000 });
    const ogg = encodeOggOpus({ samples: tone, sampleRate: 48000 });
    const webm = buildWebm(encodeOpusPackets(tone), { layout: 'muxer' });
    for (const [name, bytes] of [
      ['wav', wav],
      ['ogg', ogg],
      ['webm', webm],
    ] as const) {
      const decoded = await decodeAudioFile(bytes);
      expect(decoded.sampleRate, name).toBe(48000);
      expect(decoded.samples.length, name).toBe(tone.length);
    }
    // MP3 is covered with real encoder output in mp3.test.ts.
  });

  it('rejects (not throws) with AudioFormatError for empty and unknown data', async () => {
    const empty = decodeAudioFile(new Uint8Array(0));
    expect(empty).toBeInstanceOf(Promise);
    await expect(empty).rejects.toThrow(AudioFormatError);
    await expect(decodeAudioFile(new Uint8Array(0))).rejects.toThrow(/empty/);
    await expect(decodeAudioFile(Buffer.from('fLaC\0\0\0\u0022'))).rejects.toThrow(/only WAV, MP3, Ogg Opus and WebM Opus/);
    await expect(decodeAudioFile(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f))).rejects.toThrow(AudioFormatError);
    await expect(decodeAudioFile(Uint8Array.of(0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0))).rejects.toThrow(/MP3 data is truncated/);
  });
});

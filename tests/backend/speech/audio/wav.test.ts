import { afterAll, describe, expect, it } from 'vitest';
import { AudioFormatError, decodeAudioFile, decodeWav, encodeWav, floatToPcm16, pcm16ToFloat, rms, sniffAudioContainer } from '../../../../backend/speech/audio';
import { espeakWav, requireTools, run, scratchDir, sine, skipWithoutTools } from './audio-tools';

function expectFormatError(action: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AudioFormatError);
  expect((thrown as Error).message).toMatch(message);
  expect((thrown as AudioFormatError).code).toBe('bad_request');
}

describe('WAV encode and decode', () => {
  it('round-trips PCM16 mono exactly, with a canonical 44-byte header', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);
    const wav = encodeWav({ pcm, sampleRate: 22050 });
    expect(wav.length).toBe(44 + pcm.length * 2);
    expect(Buffer.from(wav.subarray(0, 4)).toString()).toBe('RIFF');
    const decoded = decodeWav(wav);
    expect(decoded.sampleRate).toBe(22050);
    expect(Array.from(floatToPcm16(decoded.samples))).toEqual(Array.from(pcm));
  });

  it('decodes an empty but valid WAV as no samples', () => {
    expect(decodeWav(encodeWav({ pcm: new Int16Array(0), sampleRate: 16000 })).samples.length).toBe(0);
  });

  it('reads a WAV whose sizes are streaming placeholders (espeak-ng --stdout, OpenAI)', () => {
    const wav = encodeWav({ pcm: Int16Array.from([100, 200, 300]), sampleRate: 24000 });
    const view = new DataView(wav.buffer);
    view.setUint32(4, 0xffffffff, true);
    view.setUint32(40, 0xffffffff, true);
    expect(Array.from(floatToPcm16(decodeWav(wav).samples))).toEqual([100, 200, 300]);
  });

  it('skips unknown chunks and an odd-sized chunk padding byte', () => {
    const body = encodeWav({ pcm: Int16Array.from([5, 6]), sampleRate: 8000 });
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const wav = Buffer.concat([body.subarray(0, 36), list, body.subarray(36)]);
    expect(Array.from(floatToPcm16(decodeWav(wav).samples))).toEqual([5, 6]);
  });

  describe('files written by sox', () => {
    const scratch = scratchDir();
    afterAll(() => scratch.remove());

    it.skipIf(skipWithoutTools('sox', 'espeak-ng'))('decodes 8/16/24/32-bit PCM, float, stereo and 44.1 kHz to the same mono speech', () => {
      requireTools('sox', 'espeak-ng');
      espeakWav('Testing the WAV decoder with real speech.', scratch.file('speech.wav'));
      const reference = decodeWav(scratch.read('speech.wav'));
      expect(reference.sampleRate).toBe(22050);
      expect(rms(reference.samples)).toBeGreaterThan(0.02);

      const variants: Array<{ name: string; args: string[]; tolerance: number }> = [
        { name: 'u8.wav', args: ['-b', '8', '-e', 'unsigned-integer'], tolerance: 0.02 },
        { name: 's24.wav', args: ['-b', '24'], tolerance: 1e-4 },
        { name: 's32.wav', args: ['-b', '32'], tolerance: 1e-4 },
        { name: 'f32.wav', args: ['-b', '32', '-e', 'floating-point'], tolerance: 1e-4 },
        { name: 'f64.wav', args: ['-b', '64', '-e', 'floating-point'], tolerance: 1e-4 },
        // Both channels carry the same speech: the average is the original.
        { name: 'stereo.wav', args: ['-c', '2'], tolerance: 1e-4 },
      ];
      for (const variant of variants) {
        run('sox', ['-D', scratch.file('speech.wav'), ...variant.args, scratch.file(variant.name)]);
        const decoded = decodeWav(scratch.read(variant.name));
        expect(decoded.sampleRate, variant.name).toBe(22050);
        expect(decoded.samples.length, variant.name).toBe(reference.samples.length);
        let worst = 0;
        for (let i = 0; i < decoded.samples.length; i++) worst = Math.max(worst, Math.abs(decoded.samples[i]! - reference.samples[i]!));
        expect(worst, variant.name).toBeLessThan(variant.tolerance);
      }

      run('sox', ['-D', scratch.file('speech.wav'), '-r', '44100', '-c', '2', scratch.file('cd.wav')]);
      const cd = decodeWav(scratch.read('cd.wav'));
      expect(cd.sampleRate).toBe(44100);
      expect(cd.samples.length).toBe(reference.samples.length * 2);
    });

    it.skipIf(skipWithoutTools('sox'))('reads WAVE_FORMAT_EXTENSIBLE (sox writes it for more than two channels)', () => {
      requireTools('sox');
      const pcm = floatToPcm16(sine(440, 16000, 0.1));
      scratch.write('mono.wav', encodeWav({ pcm, sampleRate: 16000 }));
      run('sox', ['-D', scratch.file('mono.wav'), '-c', '4', scratch.file('quad.wav')]);
      const bytes = scratch.read('quad.wav');
      expect(bytes.readUInt16LE(20)).toBe(0xfffe);
      const decoded = decodeWav(bytes);
      expect(decoded.samples.length).toBe(pcm.length);
      expect(Math.abs(decoded.samples[100]! - pcm16ToFloat(pcm)[100]!)).toBeLessThan(1e-3);
    });

    it.skipIf(skipWithoutTools('sox'))('refuses an encoding it cannot read (IMA ADPCM) by name', () => {
      requireTools('sox');
      scratch.write('plain.wav', encodeWav({ pcm: floatToPcm16(sine(440, 8000, 0.1)), sampleRate: 8000 }));
      run('sox', [scratch.file('plain.wav'), '-e', 'ima-adpcm', scratch.file('adpcm.wav')]);
      expectFormatError(() => decodeWav(scratch.read('adpcm.wav')), /Unsupported WAV encoding \(format tag 17\)/);
    });
  });

  describe('bad input', () => {
    const good = encodeWav({ pcm: Int16Array.from({ length: 100 }, (_, i) => i), sampleRate: 16000 });

    it('says what is wrong with it', () => {
      expectFormatError(() => decodeWav(new Uint8Array(0)), /empty \(0 bytes\)/);
      expectFormatError(() => decodeWav(good.subarray(0, 8)), /truncated: 8 bytes/);
      expectFormatError(() => decodeWav(Buffer.from('ID3\u0004 this is an mp3 file')), /Not a WAV file: it starts with "ID3\\x04"/);
      expectFormatError(() => decodeWav(good.subarray(0, 30)), /truncated inside its fmt chunk/);
      expectFormatError(() => decodeWav(good.subarray(0, 36)), /truncated: no data chunk/);
      expectFormatError(() => decodeWav(good.subarray(0, 44 + 50)), /data chunk says 200 bytes, 50 are there/);
      const noFmt = Buffer.concat([good.subarray(0, 12), good.subarray(36)]);
      expectFormatError(() => decodeWav(noFmt), /data chunk comes before its fmt chunk/);
      const badAlign = Buffer.from(good);
      badAlign.writeUInt16LE(4, 32);
      expectFormatError(() => decodeWav(badAlign), /block align 4 for 1 × 16-bit/);
      const twelveBit = Buffer.from(good);
      twelveBit.writeUInt16LE(12, 34);
      expectFormatError(() => decodeWav(twelveBit), /Unsupported WAV sample size: 12-bit pcm/);
    });
  });

  describe('decodeAudioFile', () => {
    it('picks the WAV decoder from the magic number', async () => {
      const wav = encodeWav({ pcm: Int16Array.from([1, 2, 3]), sampleRate: 16000 });
      expect(sniffAudioContainer(wav)).toBe('wav');
      expect((await decodeAudioFile(wav)).samples.length).toBe(3);
      await expect(decodeAudioFile(Buffer.from('RIFF\u0004\u0000\u0000\u0000WAVX'))).rejects.toThrow(/Not a WAV file/);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { AudioFormatError, decodeWav, encodeWav, floatToPcm16, type FloatAudio } from '#audio';
import { parseWav } from '../../speech/stt/fake-transcription-server';
import { correlation, seededRandom, speechLike } from './signals';
import { buildWav, type WavVariant } from './wav-builder';

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
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe('RIFF');
    const decoded = decodeWav(wav);
    expect(decoded.sampleRate).toBe(22050);
    expect(Array.from(floatToPcm16(decoded.samples))).toEqual(Array.from(pcm));
  });

  it('writes what an independent reader takes for 16 kHz mono 16-bit PCM (what whisper.cpp and transcription APIs read)', () => {
    const wav = parseWav(Buffer.from(encodeWav({ pcm: floatToPcm16(Float32Array.of(0.25, -0.25, 0)), sampleRate: 16_000 })));
    expect(wav).toMatchObject({ format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
    expect([...wav.samples]).toEqual([8192, -8192, 0]);
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
    const list = Uint8Array.of(0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 0x61, 0x62, 0x63, 0);
    const wav = new Uint8Array(body.length + list.length);
    wav.set(body.subarray(0, 36));
    wav.set(list, 36);
    wav.set(body.subarray(36), 36 + list.length);
    expect(Array.from(floatToPcm16(decodeWav(wav).samples))).toEqual([5, 6]);
  });
});

describe('WAV variants from other writers', () => {
  const rate = 22050;
  const speech = speechLike(rate, 1);
  const reference: FloatAudio = decodeWav(encodeWav({ pcm: floatToPcm16(speech), sampleRate: rate }));

  function worstDifference(a: Float32Array, b: Float32Array): number {
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    return worst;
  }

  it.each<{ name: string; variant: Omit<WavVariant, 'sampleRate'>; tolerance: number }>([
    { name: 'unsigned 8-bit', variant: { formatTag: 1, channels: 1, bitsPerSample: 8 }, tolerance: 0.02 },
    { name: '24-bit', variant: { formatTag: 1, channels: 1, bitsPerSample: 24 }, tolerance: 1e-4 },
    { name: '32-bit', variant: { formatTag: 1, channels: 1, bitsPerSample: 32 }, tolerance: 1e-4 },
    { name: 'float 32', variant: { formatTag: 3, channels: 1, bitsPerSample: 32 }, tolerance: 1e-4 },
    { name: 'float 64', variant: { formatTag: 3, channels: 1, bitsPerSample: 64 }, tolerance: 1e-4 },
    // Both channels carry the same speech: the average is the original.
    { name: 'stereo 16-bit', variant: { formatTag: 1, channels: 2, bitsPerSample: 16 }, tolerance: 1e-4 },
    { name: 'WAVE_FORMAT_EXTENSIBLE, 4 channels (sox writes it above two)', variant: { formatTag: 0xfffe, subFormat: 1, channels: 4, bitsPerSample: 16 }, tolerance: 1e-4 },
    { name: 'WAVE_FORMAT_EXTENSIBLE float', variant: { formatTag: 0xfffe, subFormat: 3, channels: 1, bitsPerSample: 32 }, tolerance: 1e-4 },
  ])('decodes $name to the same mono speech', ({ variant, tolerance }) => {
    const decoded = decodeWav(buildWav({ ...variant, sampleRate: rate }, [reference.samples]));
    expect(decoded.sampleRate).toBe(rate);
    expect(decoded.samples.length).toBe(reference.samples.length);
    expect(worstDifference(decoded.samples, reference.samples)).toBeLessThan(tolerance);
  });

  it('averages two different channels and keeps a 44.1 kHz rate', () => {
    const left = speechLike(44100, 0.5);
    const right = left.map((value) => -0.5 * value);
    const decoded = decodeWav(buildWav({ formatTag: 1, channels: 2, sampleRate: 44100, bitsPerSample: 32 }, [left, right]));
    expect(decoded.sampleRate).toBe(44100);
    expect(decoded.samples.length).toBe(left.length);
    expect(worstDifference(decoded.samples, left.map((value) => 0.25 * value))).toBeLessThan(1e-6);
    expect(correlation(decoded.samples, left)).toBeGreaterThan(0.999);
  });

  it('refuses an encoding it cannot read (IMA ADPCM) by name', () => {
    const adpcm = buildWav({ formatTag: 17, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, [new Float32Array(10)]);
    expectFormatError(() => decodeWav(adpcm), /Unsupported WAV encoding \(format tag 17\)/);
  });
});

describe('bad input', () => {
  const good = encodeWav({ pcm: Int16Array.from({ length: 100 }, (_, i) => i), sampleRate: 16000 });
  const patched = (at: number, value: number) => {
    const copy = Uint8Array.from(good);
    new DataView(copy.buffer).setUint16(at, value, true);
    return copy;
  };

  it('says what is wrong with it', () => {
    expectFormatError(() => decodeWav(new Uint8Array(0)), /empty \(0 bytes\)/);
    expectFormatError(() => decodeWav(good.subarray(0, 8)), /truncated: 8 bytes/);
    expectFormatError(() => decodeWav(new TextEncoder().encode('ID3\u0004 this is an mp3 file')), /Not a WAV file: it starts with "ID3\\x04"/);
    expectFormatError(() => decodeWav(good.subarray(0, 30)), /truncated inside its fmt chunk/);
    expectFormatError(() => decodeWav(good.subarray(0, 36)), /truncated: no data chunk/);
    expectFormatError(() => decodeWav(good.subarray(0, 44 + 50)), /data chunk says 200 bytes, 50 are there/);
    const noFmt = new Uint8Array(good.length - 24);
    noFmt.set(good.subarray(0, 12));
    noFmt.set(good.subarray(36), 12);
    expectFormatError(() => decodeWav(noFmt), /data chunk comes before its fmt chunk/);
    expectFormatError(() => decodeWav(patched(32, 4)), /block align 4 for 1 × 16-bit/);
    expectFormatError(() => decodeWav(patched(34, 12)), /Unsupported WAV sample size: 12-bit pcm/);
    expectFormatError(() => decodeWav(patched(16, 8)), /fmt chunk: 8 bytes/);
  });

  /** Decoding must end, quickly, in samples or in an AudioFormatError: never another exception, never a hang. */
  function expectCleanOutcome(bytes: Uint8Array, label: string): 'decoded' | 'refused' {
    const started = performance.now();
    try {
      const audio = decodeWav(bytes);
      expect(audio.sampleRate, label).toBeGreaterThan(0);
      return 'decoded';
    } catch (error) {
      expect(error, `${label}: ${String(error)}`).toBeInstanceOf(AudioFormatError);
      return 'refused';
    } finally {
      expect(performance.now() - started, label).toBeLessThan(1000);
    }
  }

  it('refuses every truncation of a valid file, each with an AudioFormatError', () => {
    const wav = buildWav({ formatTag: 0xfffe, subFormat: 1, channels: 2, sampleRate: 16000, bitsPerSample: 24 }, [speechLike(16000, 0.01)]);
    for (let length = 0; length < wav.length - 1; length++) {
      expect(expectCleanOutcome(wav.subarray(0, length), `first ${length} bytes`), `first ${length} bytes`).toBe('refused');
    }
  });

  it('survives 2000 bit-flipped headers and 2000 random files behind a RIFF/WAVE signature', () => {
    const random = seededRandom(20261202);
    const wav = buildWav({ formatTag: 0xfffe, subFormat: 3, channels: 2, sampleRate: 48000, bitsPerSample: 32 }, [speechLike(48000, 0.01)]);
    for (let round = 0; round < 2000; round++) {
      const flipped = Uint8Array.from(wav);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) flipped[Math.floor(random() * 80)]! ^= 1 << Math.floor(random() * 8);
      expectCleanOutcome(flipped, `bit flips, round ${round}`);

      const noise = Uint8Array.from({ length: 4 + Math.floor(random() * 200) }, () => Math.floor(random() * 256));
      noise.set([0x52, 0x49, 0x46, 0x46], 0);
      if (noise.length >= 12) noise.set([0x57, 0x41, 0x56, 0x45], 8);
      // Half the time plant a plausible fmt chunk, so the fuzzing reaches the format and data code.
      if (round % 2 === 0 && noise.length >= 36) noise.set(wav.subarray(12, 36), 12);
      expectCleanOutcome(noise, `random bytes, round ${round}`);
    }
  });
});

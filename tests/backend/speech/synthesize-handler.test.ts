import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcHttpError, startTestBackend, type TestBackend } from '../../support/backend-harness';
import { parseWav } from './stt/fake-transcription-server';
import { dbfs, loudFrameShare } from './speech-fixture';

const SHORT = 'Hello there.';
const LONG = 'Hello there. The weather in Paris will be sunny tomorrow, with a light breeze from the west.';

let backend: TestBackend;

beforeAll(async () => {
  backend = await startTestBackend();
});

afterAll(async () => {
  await backend?.close();
});

async function preview(text: string) {
  const result = await backend.call('speech.synthesize', { text });
  const wav = parseWav(Buffer.from(result.wavBase64, 'base64'));
  return { ...result, wav, seconds: wav.samples.length / wav.sampleRate };
}

async function setting(key: 'voice.tts.voice' | 'voice.tts.speed' | 'voice.tts.volume', value: unknown) {
  await backend.call('settings.set', { key, value });
}

describe('speech.synthesize (the Voice panel preview) on the real backend', () => {
  it('answers a valid mono PCM16 WAV of speech: long enough for the words, loud, and mostly voiced', async () => {
    const { wav, sampleRate, seconds, ms } = await preview(SHORT);
    expect(wav).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16 });
    expect(wav.sampleRate).toBe(sampleRate);
    // Two words at espeak's 175 words a minute, plus its own pauses.
    expect(seconds).toBeGreaterThan(0.5);
    expect(seconds).toBeLessThan(3);
    expect(dbfs(wav.samples)).toBeGreaterThan(-30);
    expect(loudFrameShare(wav.samples, wav.sampleRate)).toBeGreaterThan(0.4);
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('speaks the text it is given: a sentence several times longer takes several times as long', async () => {
    const short = await preview(SHORT);
    const long = await preview(LONG);
    expect(long.seconds / short.seconds).toBeGreaterThan(3);
    expect(loudFrameShare(long.wav.samples, long.wav.sampleRate)).toBeGreaterThan(0.4);
  });

  it('applies the speed and volume settings', async () => {
    const normal = await preview(LONG);
    try {
      await setting('voice.tts.speed', 2);
      await setting('voice.tts.volume', 0.5);
      const changed = await preview(LONG);
      // Twice as fast: about half as long (espeak's pauses shrink a little less).
      expect(changed.seconds / normal.seconds).toBeGreaterThan(0.4);
      expect(changed.seconds / normal.seconds).toBeLessThan(0.7);
      // Half the amplitude is 6 dB down.
      expect(dbfs(normal.wav.samples) - dbfs(changed.wav.samples)).toBeGreaterThan(4);
      expect(dbfs(normal.wav.samples) - dbfs(changed.wav.samples)).toBeLessThan(9);
    } finally {
      await setting('voice.tts.speed', 1);
      await setting('voice.tts.volume', 1);
    }
  });

  it('speaks with another configured voice, and refuses a voice that does not exist with invalid_params and a hint', async () => {
    try {
      await setting('voice.tts.voice', 'de');
      const german = await preview('Guten Tag, wie geht es Ihnen?');
      expect(dbfs(german.wav.samples)).toBeGreaterThan(-30);

      await setting('voice.tts.voice', 'xx-nonexistent');
      const error = await backend.call('speech.synthesize', { text: SHORT }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RpcHttpError);
      expect(error).toMatchObject({ status: 400, code: 'invalid_params', message: expect.stringContaining('xx-nonexistent') });
      expect((error as RpcHttpError).hint).toBeTruthy();
    } finally {
      await setting('voice.tts.voice', 'en-us');
    }
    // The next preview works again.
    expect((await preview(SHORT)).seconds).toBeGreaterThan(0.5);
  });

  it('refuses empty text and text with nothing to say, instead of answering silence', async () => {
    await expect(backend.call('speech.synthesize', { text: '' })).rejects.toMatchObject({ status: 400, code: 'invalid_params' });
    await expect(backend.call('speech.synthesize', { text: '*** --- ...' })).rejects.toMatchObject({ status: 400, code: 'invalid_params', message: expect.stringMatching(/nothing to say/i) });
  });
});

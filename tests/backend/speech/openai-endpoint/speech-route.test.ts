import { OggOpusDecoder } from 'ogg-opus-decoder';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '#audio';
import { decodeOggOpus } from '../../../../backend/speech/audio';
import { parseWav } from '../stt/fake-transcription-server';
import { dbfs, loudFrameShare, startSpeechFixture, type SpeechFixture } from '../speech-fixture';

const INPUT = 'The quick brown fox jumps over the lazy dog.';

let fixture: SpeechFixture;
let client: OpenAI;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  client = fixture.openai();
});

afterAll(async () => {
  await fixture?.close();
});

async function speak(format: 'wav' | 'opus' | 'pcm', extra: Partial<OpenAI.Audio.SpeechCreateParams> = {}) {
  const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT, response_format: format, ...extra });
  return { contentType: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** What the SDK throws for an error answer, with OpenAI's error object. */
async function apiError(request: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('POST /v1/audio/speech through the official openai SDK', () => {
  let wavSeconds: number;

  it('answers wav: a valid mono PCM16 file of speech as long as the sentence', async () => {
    const { contentType, bytes } = await speak('wav');
    expect(contentType).toBe('audio/wav');
    // parseWav is the tests' own strict reader, independent of Parley's: every size in the header
    // must agree with the file, so the length below is the one any player would compute.
    const wav = parseWav(bytes);
    expect(wav).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16 });
    wavSeconds = wav.samples.length / wav.sampleRate;
    // Nine words at ~175 a minute.
    expect(wavSeconds).toBeGreaterThan(1.5);
    expect(wavSeconds).toBeLessThan(6);
    expect(dbfs(wav.samples)).toBeGreaterThan(-30);
    expect(loudFrameShare(wav.samples, wav.sampleRate)).toBeGreaterThan(0.4);
    // Parley's WAV reader, which the transcription endpoint uses, agrees with the test's own parser.
    const read = decodeWav(bytes);
    expect(read.samples.length / read.sampleRate).toBeCloseTo(wavSeconds, 2);
  });

  it('answers opus: an Ogg Opus file that an independent libopus decoder accepts, decoding to the same speech', async () => {
    const { contentType, bytes } = await speak('opus');
    expect(contentType).toMatch(/^audio\/ogg/);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
    // ogg-opus-decoder: libopus and its own Ogg reader compiled to WASM, nothing shared with Parley's codec.
    const libopus = new OggOpusDecoder();
    await libopus.ready;
    try {
      const independent = await libopus.decodeFile(new Uint8Array(bytes));
      expect(independent.errors).toEqual([]);
      expect(independent.channelData).toHaveLength(1);
      expect(independent.samplesDecoded / independent.sampleRate).toBeCloseTo(wavSeconds, 1);
      expect(dbfs(independent.channelData[0]!)).toBeGreaterThan(-30);
    } finally {
      libopus.free();
    }
    const decoded = decodeOggOpus(bytes);
    expect(decoded.samples.length / decoded.sampleRate).toBeCloseTo(wavSeconds, 1);
    expect(dbfs(decoded.samples)).toBeGreaterThan(-30);
  });

  it("answers pcm: raw 16-bit mono at OpenAI's 24 kHz, the same length as the wav", async () => {
    const { contentType, bytes } = await speak('pcm');
    expect(contentType).toBe('audio/pcm');
    expect(bytes.length % 2).toBe(0);
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    expect(samples.length / 24_000).toBeCloseTo(wavSeconds, 1);
    expect(dbfs(samples)).toBeGreaterThan(-30);
    expect(loudFrameShare(samples, 24_000)).toBeGreaterThan(0.4);
  });

  it('speaks faster when asked for speed 2, and takes a voice the engine has', async () => {
    const fast = parseWav((await speak('wav', { speed: 2 })).bytes);
    expect(fast.samples.length / fast.sampleRate / wavSeconds).toBeLessThan(0.7);
    const german = parseWav((await speak('wav', { voice: 'de' as OpenAI.Audio.SpeechCreateParams['voice'], input: 'Guten Tag.' })).bytes);
    expect(dbfs(german.samples)).toBeGreaterThan(-30);
  });

  it("refuses an empty input, text with nothing to say and mp3 with OpenAI's error shape (400)", async () => {
    for (const request of [
      client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: '' }),
      client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: '...', response_format: 'wav' }),
      client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT, response_format: 'mp3' }),
    ]) {
      const error = await apiError(request);
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
      expect(error.type).toBe('invalid_request_error');
    }
    const mp3 = await apiError(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT, response_format: 'mp3' }));
    expect(mp3.message).toMatch(/wav, opus or pcm/);
    const empty = await apiError(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: '' }));
    expect(empty.message).toMatch(/input/);
  });

  it('answers 401 without the token or with a wrong one, in OpenAI\'s shape', async () => {
    const wrong = await apiError(fixture.openai('not-the-token').audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT }));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.status).toBe(401);
    expect(wrong.error).toMatchObject({ message: expect.stringMatching(/token/i) });

    const missing = await fixture.backend.fetch('/v1/audio/speech', {
      method: 'POST',
      token: null,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: INPUT }),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string; type: string } }).error).toMatchObject({ message: expect.stringMatching(/token/i), type: expect.any(String) });
  });

  it('answers a body that is not JSON with 400 and keeps serving', async () => {
    const response = await fixture.backend.fetch('/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "tts-1", "inp' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    expect(parseWav((await speak('wav')).bytes).samples.length).toBeGreaterThan(0);
  });
});

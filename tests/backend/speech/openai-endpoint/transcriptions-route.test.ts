import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '#audio';
import { SCRIPTED_DETECTED_LANGUAGE } from '../../../support/ggml-whisper-model';
import { dbfs, speech, startSpeechFixture, type SpeechFixture } from '../speech-fixture';
import { TEST_MODEL_TEXT, testModelPath } from '../stt/stt-fixture';

/**
 * Every request that reaches whisper is bounded: the SDK's own timeout (the fixture's client: 30 s)
 * and the test's. A hung binding fails the test instead of hanging the run.
 */
const WHISPER_TEST_TIMEOUT_MS = 60_000;
const QUESTION = 'What is the weather like in Paris today?';

let fixture: SpeechFixture;
let client: OpenAI;
let questionWav: Uint8Array;
let questionSeconds: number;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  client = fixture.openai();
  const pcm = speech(QUESTION);
  questionWav = encodeWav({ pcm, sampleRate: 16_000 });
  questionSeconds = pcm.length / 16_000;
}, WHISPER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.close();
});

async function upload(bytes: Uint8Array, name = 'question.wav') {
  return toFile(bytes, name);
}

async function apiError(request: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

/** Cue timings of an SRT or VTT body, in seconds. */
function cueTimes(body: string): Array<[number, number]> {
  return [...body.matchAll(/(\d\d):(\d\d):(\d\d)[,.](\d\d\d) --> (\d\d):(\d\d):(\d\d)[,.](\d\d\d)/g)].map((match) => {
    const [h1, m1, s1, ms1, h2, m2, s2, ms2] = match.slice(1).map(Number) as [number, number, number, number, number, number, number, number];
    return [h1 * 3600 + m1 * 60 + s1 + ms1 / 1000, h2 * 3600 + m2 * 60 + s2 + ms2 / 1000];
  });
}

describe('POST /v1/audio/transcriptions through the official openai SDK', () => {
  it('answers 503 with what to do when no speech recognition model is installed', async () => {
    const error = await apiError(client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' }));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/No speech recognition model is installed/);
    // The hint travels in the message, which is what OpenAI clients show.
    expect(error.message).toMatch(/Voice panel/);
    expect(error.error).toMatchObject({ type: 'server_error', code: 'unavailable' });
  });

  describe('with local whisper and a generated random-weight model registered as a custom model', () => {
    beforeAll(async () => {
      const { model } = await fixture.backend.call('speech.models.registerCustom', { kind: 'whisper', path: await testModelPath() });
      expect(model).toMatchObject({ kind: 'whisper', installed: true, custom: true });
    }, WHISPER_TEST_TIMEOUT_MS);

    it(
      'answers json with the text whisper.cpp decoded (the model writes a known text for any speech)',
      async () => {
        const result = await client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' });
        expect(result).toEqual({ text: TEST_MODEL_TEXT });
      },
      WHISPER_TEST_TIMEOUT_MS,
    );

    it(
      'answers text, verbose_json, srt and vtt in the shapes OpenAI clients parse, with timings inside the audio',
      async () => {
        const file = async () => upload(questionWav);
        const text = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'text' });
        expect(text.trim()).toBe(TEST_MODEL_TEXT);

        const verbose = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'verbose_json' });
        expect(verbose).toMatchObject({ task: 'transcribe', text: TEST_MODEL_TEXT, language: SCRIPTED_DETECTED_LANGUAGE });
        expect(verbose.duration).toBeCloseTo(questionSeconds, 1);
        expect(verbose.segments?.length).toBeGreaterThan(0);
        for (const segment of verbose.segments ?? []) {
          expect(segment.start).toBeGreaterThanOrEqual(0);
          expect(segment.end).toBeGreaterThan(segment.start);
          expect(segment.end).toBeLessThanOrEqual(verbose.duration + 0.01);
        }
        expect((verbose.segments ?? []).map((segment) => segment.text.trim()).join(' ')).toBe(TEST_MODEL_TEXT);

        const srt = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'srt' });
        expect(srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\n/);
        expect(srt).toContain(TEST_MODEL_TEXT);
        const vtt = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'vtt' });
        expect(vtt).toMatch(/^WEBVTT\n\n\d\d:\d\d:\d\d\.\d\d\d --> /);
        expect(vtt).toContain(TEST_MODEL_TEXT);
        // A player shows no cue after the end of the audio it belongs to.
        for (const [start, end] of [...cueTimes(srt), ...cueTimes(vtt)]) {
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(questionSeconds + 0.01);
        }
      },
      WHISPER_TEST_TIMEOUT_MS,
    );

    it(
      "reads Ogg Opus (Parley's own /v1/audio/speech output) as well as WAV",
      async () => {
        const spoken = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: QUESTION, response_format: 'opus' });
        const opus = new Uint8Array(await spoken.arrayBuffer());
        const result = await client.audio.transcriptions.create({ file: await upload(opus, 'question.ogg'), model: 'whisper-1', response_format: 'verbose_json' });
        expect(result.text).toBe(TEST_MODEL_TEXT);
        expect(result.duration).toBeGreaterThan(1);
      },
      WHISPER_TEST_TIMEOUT_MS,
    );

    it(
      'refuses truncated, corrupt and empty audio with a 400 that says why, and keeps serving',
      async () => {
        const truncated = await apiError(client.audio.transcriptions.create({ file: await upload(questionWav.subarray(0, questionWav.length / 2)), model: 'whisper-1' }));
        expect(truncated.status).toBe(400);
        expect(truncated.message).toMatch(/question\.wav could not be read as audio: .*truncated/i);

        const headerOnly = await apiError(client.audio.transcriptions.create({ file: await upload(questionWav.subarray(0, 30)), model: 'whisper-1' }));
        expect(headerOnly.status).toBe(400);

        const noise = Uint8Array.from({ length: 8000 }, (_, index) => (index * 7919) % 251);
        const corrupt = await apiError(client.audio.transcriptions.create({ file: await upload(noise, 'noise.mp4'), model: 'whisper-1' }));
        expect(corrupt.status).toBe(400);
        expect(corrupt.message).toMatch(/noise\.mp4 could not be read as audio/);
        expect(corrupt.message).toMatch(/WAV, MP3, Ogg Opus or WebM/);

        const empty = await apiError(client.audio.transcriptions.create({ file: await upload(new Uint8Array(0)), model: 'whisper-1' }));
        expect(empty.status).toBe(400);
        expect(empty.message).toMatch(/empty/);

        // Silence is not an error: it has nothing to say.
        const silent = await client.audio.transcriptions.create({ file: await upload(encodeWav({ pcm: new Int16Array(16_000), sampleRate: 16_000 })), model: 'whisper-1' });
        expect(silent).toEqual({ text: '' });

        expect(await client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' })).toEqual({ text: TEST_MODEL_TEXT });
      },
      WHISPER_TEST_TIMEOUT_MS,
    );

    it('refuses a body that is not multipart, a form without a file or a model, and an unknown response_format', async () => {
      const json = await fixture.backend.fetch('/v1/audio/transcriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'whisper-1' }) });
      expect(json.status).toBe(400);
      expect(((await json.json()) as { error: { message: string; type: string } }).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/multipart/) });

      const garbled = await fixture.backend.fetch('/v1/audio/transcriptions', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: 'not a multipart body' });
      expect(garbled.status).toBe(400);
      expect(((await garbled.json()) as { error: { message: string } }).error.message).toMatch(/multipart form could not be read/);

      const withoutFile = new FormData();
      withoutFile.set('model', 'whisper-1');
      const noFile = await fixture.backend.fetch('/v1/audio/transcriptions', { method: 'POST', body: withoutFile });
      expect(noFile.status).toBe(400);
      expect(((await noFile.json()) as { error: { message: string } }).error.message).toMatch(/file/);

      const withoutModel = new FormData();
      withoutModel.set('file', new Blob([Buffer.from(questionWav)], { type: 'audio/wav' }), 'question.wav');
      const noModel = await fixture.backend.fetch('/v1/audio/transcriptions', { method: 'POST', body: withoutModel });
      expect(noModel.status).toBe(400);
      expect(((await noModel.json()) as { error: { message: string } }).error.message).toMatch(/model/);

      const badFormat = await apiError(client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1', response_format: 'diarized_json' }));
      expect(badFormat.status).toBe(400);
      expect(badFormat.message).toMatch(/response_format/);
    });

    it('refuses an upload over 25 MB with 413 naming the limit, and keeps serving', async () => {
      const big = new Uint8Array(26 * 1024 * 1024);
      big.set(questionWav.subarray(0, 44));
      const error = await apiError(client.audio.transcriptions.create({ file: await upload(big), model: 'whisper-1' }));
      expect(error.status).toBe(413);
      expect(error.message).toMatch(/25 MB/);
      // The advice fits an audio upload (not a JSON size setting the user cannot change for it).
      expect(error.message).not.toMatch(/PARLEY_MAX_JSON_BYTES/);
      const health = await fixture.backend.fetch('/healthz', { token: null });
      expect(health.status).toBe(200);
    });

    it('answers 401 without the token', async () => {
      const error = await apiError(fixture.openai('wrong-token').audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' }));
      expect(error.status).toBe(401);
    });
  });

  describe('with the remote engine configured (an OpenAI-compatible transcription server)', () => {
    beforeAll(async () => {
      await fixture.useRemoteStt();
    });

    it("sends the audio there as 16 kHz mono WAV with the provider's key and model, and answers its text", async () => {
      fixture.stt.answer = { text: 'what is the weather like in paris today' };
      fixture.stt.received.length = 0;
      // An 8 kHz upload, as a phone records: Parley resamples it to the engine's 16 kHz.
      const at8k = encodeWav({ pcm: speech(QUESTION).filter((_, index) => index % 2 === 0), sampleRate: 8000 });
      const result = await client.audio.transcriptions.create({ file: await upload(at8k), model: 'ignored-by-parley', language: 'en' });
      expect(result).toEqual({ text: 'what is the weather like in paris today' });

      expect(fixture.stt.received).toHaveLength(1);
      const sent = fixture.stt.received[0]!;
      expect(sent).toMatchObject({ model: 'whisper-1', language: 'en', authorization: 'Bearer sk-stt' });
      expect(sent.wav).toMatchObject({ format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
      expect(sent.wav.samples.length / 16_000).toBeCloseTo(questionSeconds, 1);
      expect(dbfs(sent.wav.samples)).toBeGreaterThan(-35);
    });

    it('follows an edit of the provider in the Models panel (new key, extra headers) without a restart', async () => {
      fixture.stt.answer = { text: 'still here' };
      fixture.stt.received.length = 0;
      await fixture.backend.call('providers.save', {
        id: 'stt',
        kind: 'custom',
        name: 'Transcriber',
        baseUrl: fixture.stt.baseUrl,
        apiKey: 'sk-rotated',
        extraHeaders: { 'x-gateway': 'team-a' },
        maxRetries: 0,
      });
      expect(await client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' })).toEqual({ text: 'still here' });
      expect(fixture.stt.received[0]).toMatchObject({ authorization: 'Bearer sk-rotated', gateway: 'team-a' });
      await fixture.backend.call('providers.save', { id: 'stt', kind: 'custom', name: 'Transcriber', baseUrl: fixture.stt.baseUrl, apiKey: 'sk-stt', maxRetries: 0 });
    });

    it("turns the remote's text into subtitles that span the audio", async () => {
      fixture.stt.answer = { text: 'hello from the server' };
      const srt = await client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1', response_format: 'srt' });
      expect(srt).toContain('hello from the server');
      const [[start, end]] = cueTimes(srt) as [[number, number]];
      expect(start).toBe(0);
      expect(end).toBeCloseTo(questionSeconds, 1);
    });

    it('reports a failing transcription server as 503 naming it, and works again once it recovers', async () => {
      fixture.stt.answer = { text: '', status: 500 };
      const error = await apiError(client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' }));
      expect(error.status).toBe(503);
      expect(error.message).toContain(fixture.stt.baseUrl);
      expect(error.message).toMatch(/500/);

      fixture.stt.answer = { text: 'back again' };
      expect(await client.audio.transcriptions.create({ file: await upload(questionWav), model: 'whisper-1' })).toEqual({ text: 'back again' });
    });
  });
});

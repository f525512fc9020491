import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { InProcessWhisperEngine } from '../../../../backend/speech/stt';
import { SCRIPTED_DETECTED_LANGUAGE } from '../../../support/ggml-whisper-model';
import { INFERENCE_TIMEOUT_MS, notAModel, tenMinutes, TEST_MODEL_TEXT, testModelPath, threeSecondsOfSpeech } from './stt-fixture';

let modelPath: string;
let speech: Float32Array;
let engine: InProcessWhisperEngine;

beforeAll(async () => {
  [modelPath, speech] = await Promise.all([testModelPath(), threeSecondsOfSpeech()]);
  engine = new InProcessWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
}, 60_000);

afterAll(async () => {
  await engine?.unload();
});

describe('InProcessWhisperEngine (random-weight model, scripted decoder)', () => {
  it('loads the model once and keeps it loaded: only the first transcription reports a load time', async () => {
    const first = await engine.transcribe(speech, { language: 'en' });
    expect(first.text).toBe(TEST_MODEL_TEXT);
    expect(first.segments).toEqual([expect.objectContaining({ startMs: 0, text: TEST_MODEL_TEXT })]);
    expect(first.timings.loadMs).toBeGreaterThan(0);
    expect(first.timings.inferenceMs).toBeGreaterThan(0);
    expect(first.timings.totalMs).toBeGreaterThanOrEqual(first.timings.inferenceMs);

    const second = await engine.transcribe(speech, { language: 'en' });
    expect(second.text).toBe(TEST_MODEL_TEXT);
    expect(second.timings.loadMs).toBeUndefined();
  });

  it('detects the language for "auto" and passes a fixed one through', async () => {
    expect((await engine.transcribe(speech, { language: 'auto' })).language).toBe(SCRIPTED_DETECTED_LANGUAGE);
    expect((await engine.transcribe(speech, { language: 'de' })).language).toBe('de');
    await expect(engine.transcribe(speech, { language: 'klingon' })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('keeps the event loop turning while whisper.cpp computes (inference is on a worker thread)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = performance.now();
      await engine.transcribe(speech, { language: 'en' });
      const elapsed = performance.now() - started;
      // A blocked loop would tick once at the end; a free one ~elapsed/5 times (loosely: busy machine).
      expect(ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(elapsed / 20)));
    } finally {
      clearInterval(timer);
    }
  });

  it('passes segments on as partial text while it transcribes', async () => {
    const partials: string[] = [];
    const transcript = await engine.transcribe(speech, { language: 'en', onPartial: (text) => partials.push(text) });
    expect(partials.at(-1)).toBe(transcript.text);
  });

  it('cannot shrink the encoder window (the binding has no audio_ctx for whisper) and says so', async () => {
    expect(engine.capabilities.audioContext).toBe(false);
    const transcript = await engine.transcribe(speech, { language: 'en', audioContext: 'auto' });
    expect(transcript.audioContext).toBeUndefined();
  });

  it('rejects at once when cancelled, and the next transcription waits for the abandoned one, then works', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const cancelled = engine.transcribe(speech, { language: 'en', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1000);

    const next = await engine.transcribe(speech, { language: 'en' });
    expect(next.text).toBe(TEST_MODEL_TEXT);
  });

  it('rejects a cancelled wait in line without running it', async () => {
    const running = engine.transcribe(speech, { language: 'en' });
    const controller = new AbortController();
    const queued = engine.transcribe(speech, { language: 'en', signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect((await running).text).toBe(TEST_MODEL_TEXT);
  });

  it('gives up with a timeout error when a transcription overruns its deadline', async () => {
    const hasty = new InProcessWhisperEngine({ modelPath, timeoutMs: 1 });
    try {
      await expect(hasty.transcribe(speech, { language: 'en' })).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      await hasty.unload();
    }
  });

  it('loads again after unload, and reports that load', async () => {
    const own = new InProcessWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    await own.load();
    expect((await own.transcribe(speech, { language: 'en' })).timings.loadMs).toBeUndefined();
    await own.unload();
    const again = await own.transcribe(speech, { language: 'en' });
    expect(again.timings.loadMs).toBeGreaterThan(0);
    await own.unload();
  });
});

describe('InProcessWhisperEngine with bad audio', () => {
  it('answers empty, silent and too-short audio with an empty transcript without running the model', async () => {
    for (const pcm of [new Float32Array(0), new Float32Array(16_000 * 2), speech.slice(0, 800)]) {
      const transcript = await engine.transcribe(pcm);
      expect(transcript).toMatchObject({ text: '', segments: [], timings: { inferenceMs: 0 } });
    }
  });

  it('refuses NaN samples with a clear error', async () => {
    const broken = speech.slice();
    broken[16_000] = Number.NaN;
    const error = await engine.transcribe(broken).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'invalid_params', message: expect.stringContaining('NaN sample at 1.000 s') });
  });

  it('refuses ten minutes of audio (over the 5 minute default) at once', async () => {
    const started = performance.now();
    await expect(engine.transcribe(tenMinutes())).rejects.toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('10.0 min') });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses audio over a configured maximum', async () => {
    const patient = new InProcessWhisperEngine({ modelPath, maxAudioSeconds: 2, timeoutMs: INFERENCE_TIMEOUT_MS });
    await expect(patient.transcribe(speech)).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('InProcessWhisperEngine with a bad model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-stt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says which file is missing', async () => {
    const missing = new InProcessWhisperEngine({ modelPath: join(dir, 'nowhere.bin') });
    await expect(missing.load()).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('nowhere.bin') });
  });

  it('says when a file is not a whisper.cpp model', async () => {
    const wrong = new InProcessWhisperEngine({ modelPath: await notAModel(dir) });
    await expect(wrong.transcribe(speech)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('not a whisper.cpp model') });
  });
});

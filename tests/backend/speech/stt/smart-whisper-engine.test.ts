import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { audioContextFor, SMART_WHISPER_REBUILD_COMMAND, SmartWhisperEngine, smartWhisperSimd, StreamingTranscriber } from '../../../../backend/speech/stt';
import { SCRIPTED_DETECTED_LANGUAGE } from '../../../support/ggml-whisper-model';
import { speechOfSeconds } from '../../../support/ggml-whisper-speech';
import { INFERENCE_TIMEOUT_MS, notAModel, tenMinutes, TEST_MODEL_TEXT, testModelPath, threeSecondsOfSpeech } from './stt-fixture';

let modelPath: string;
let speech: Float32Array;
let engine: SmartWhisperEngine;

beforeAll(async () => {
  [modelPath, speech] = await Promise.all([testModelPath(), threeSecondsOfSpeech()]);
  engine = new SmartWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
}, 60_000);

afterAll(async () => {
  await engine?.unload();
});

describe('SmartWhisperEngine (random-weight model, scripted decoder)', () => {
  it('tells whether it was compiled with AVX2/FMA/F16C (a plain `npm install` is not, and is ~6× slower)', () => {
    const simd = smartWhisperSimd();
    // gyp's make build (Linux, macOS) records its compile commands; Windows' msbuild does not.
    const knowable = arch() === 'x64' && platform() !== 'win32';
    expect(simd).toEqual(knowable ? expect.stringMatching(/^(avx2|baseline)$/) : 'unknown');
    if (simd === 'baseline') console.warn(`[stt] smart-whisper was compiled without AVX2/FMA/F16C; rebuild it with: ${SMART_WHISPER_REBUILD_COMMAND}`);
  });

  it('loads the model once and keeps it loaded: only the first transcription reports a load time', async () => {
    const first = await engine.transcribe(speech, { language: 'en' });
    expect(first.text).toBe(TEST_MODEL_TEXT);
    expect(first.segments).toEqual([{ startMs: 0, endMs: expect.any(Number), text: TEST_MODEL_TEXT }]);
    expect(first.segments[0]!.endMs).toBeLessThanOrEqual((speech.length / 16_000) * 1000 + 1);
    expect(first.timings.loadMs).toBeGreaterThan(0);
    expect(first.timings.inferenceMs).toBeGreaterThan(0);
    expect(first.timings.totalMs).toBeGreaterThanOrEqual(first.timings.inferenceMs + first.timings.loadMs!);

    const second = await engine.transcribe(speech, { language: 'en' });
    expect(second.text).toBe(TEST_MODEL_TEXT);
    expect(second.timings.loadMs).toBeUndefined();
    expect(second.timings.totalMs).toBeGreaterThanOrEqual(second.timings.inferenceMs);
  });

  it('detects the language for "auto" and passes a fixed one through', async () => {
    expect((await engine.transcribe(speech, { language: 'auto' })).language).toBe(SCRIPTED_DETECTED_LANGUAGE);
    expect((await engine.transcribe(speech, { language: 'de' })).language).toBe('de');
    await expect(engine.transcribe(speech, { language: 'klingon' })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it("shrinks the encoder window to the utterance for audioContext 'auto' (the default), not for 'full'", async () => {
    expect(engine.capabilities.audioContext).toBe(true);
    const short = await engine.transcribe(speech, { language: 'en' });
    expect(short.audioContext).toBe(audioContextFor(speech.length));
    expect(short.text).toBe(TEST_MODEL_TEXT);
    const full = await engine.transcribe(speech, { language: 'en', audioContext: 'full' });
    expect(full.audioContext).toBeUndefined();
    expect(full.text).toBe(TEST_MODEL_TEXT);
  });

  it('keeps the event loop turning while whisper.cpp computes (inference is on a worker thread)', async () => {
    const tenSeconds = await speechOfSeconds(10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = performance.now();
      await engine.transcribe(tenSeconds, { language: 'en', audioContext: 'full' });
      const elapsed = performance.now() - started;
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

  it('rejects at once when cancelled, and the next transcription waits for the abandoned one, then works', async () => {
    expect(engine.capabilities.abortsComputation).toBe(false);
    const controller = new AbortController();
    const partials: string[] = [];
    const started = performance.now();
    // The full window keeps the job running long enough to be cancelled while it computes.
    const cancelled = engine.transcribe(speech, { language: 'en', audioContext: 'full', signal: controller.signal, onPartial: (text) => partials.push(text) });
    setTimeout(() => controller.abort(), 2);
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1000);

    const next = await engine.transcribe(speech, { language: 'en' });
    expect(next.text).toBe(TEST_MODEL_TEXT);
    // The abandoned job's segments never reached the cancelled caller.
    expect(partials).toEqual([]);
  });

  it('rejects a cancelled wait in line without running it', async () => {
    const running = engine.transcribe(speech, { language: 'en' });
    const controller = new AbortController();
    const queued = engine.transcribe(speech, { language: 'en', signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect((await running).text).toBe(TEST_MODEL_TEXT);
  });

  it('gives up with a timeout error when a transcription overruns its deadline, and unloads after it', async () => {
    const hasty = new SmartWhisperEngine({ modelPath, timeoutMs: 1, trustedModel: true });
    try {
      await hasty.load();
      await expect(hasty.transcribe(speech, { language: 'en', audioContext: 'full' })).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      await expect(hasty.unload()).resolves.toBeUndefined();
    }
  });

  it('loads again after unload, and reports that load', async () => {
    const own = new SmartWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    await own.load();
    expect((await own.transcribe(speech, { language: 'en' })).timings.loadMs).toBeUndefined();
    await own.unload();
    const again = await own.transcribe(speech, { language: 'en' });
    expect(again.timings.loadMs).toBeGreaterThan(0);
    await own.unload();
  });
});

describe('SmartWhisperEngine under the StreamingTranscriber', () => {
  it('sends partial transcripts while the user speaks, then the final one', async () => {
    const streaming = new SmartWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    await streaming.load();
    try {
      const events: string[] = [];
      const transcriber = new StreamingTranscriber({ engine: streaming, language: 'en', onPartial: (text) => events.push(`partial: ${text}`), partialIntervalMs: 250 });
      const chunk = 1600;
      // The 3 s utterance arrives in 100 ms chunks, twice as fast as real time.
      for (let offset = 0; offset < speech.length; offset += chunk) {
        transcriber.push(speech.subarray(offset, offset + chunk));
        await delay(50);
      }
      const final = await transcriber.finish();
      events.push(`final: ${final.text}`);

      expect(transcriber.stats.partialDecodes).toBeGreaterThanOrEqual(2);
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0]).toBe(`partial: ${TEST_MODEL_TEXT}`);
      expect(events.at(-1)).toBe(`final: ${TEST_MODEL_TEXT}`);
      expect(final.audioContext).toBe(audioContextFor(speech.length));
    } finally {
      await streaming.unload();
    }
  });
});

describe('SmartWhisperEngine with bad audio', () => {
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

  it('transcribes utterances under a second (which this whisper.cpp would ignore unpadded)', async () => {
    for (const samples of [3200, 12_000, 16_000]) {
      const transcript = await engine.transcribe(speech.slice(0, samples), { language: 'en' });
      expect(transcript.text).toBe(TEST_MODEL_TEXT);
      expect(transcript.segments[0]!.endMs).toBeLessThanOrEqual((samples / 16_000) * 1000);
    }
  });
});

describe('SmartWhisperEngine with a bad model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-stt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says which file is missing', async () => {
    const missing = new SmartWhisperEngine({ modelPath: join(dir, 'nowhere.bin') });
    await expect(missing.load()).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('nowhere.bin') });
  });

  it('says when a file is not a whisper.cpp model', async () => {
    const wrong = new SmartWhisperEngine({ modelPath: await notAModel(dir) });
    await expect(wrong.transcribe(speech)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('not a whisper.cpp model') });
  });

  it('refuses a truncated model with whisper.cpp\'s reason, where loading it in-process would crash this process', async () => {
    const truncated = join(dir, 'truncated.bin');
    await copyFile(modelPath, truncated);
    const file = await open(truncated, 'r+');
    await file.truncate(3_000_000);
    await file.close();
    const damaged = new SmartWhisperEngine({ modelPath: truncated, timeoutMs: INFERENCE_TIMEOUT_MS });
    const error = await damaged.load().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('cannot use the model'),
      details: { nativeErrors: expect.arrayContaining([expect.stringContaining('not all tensors loaded')]) },
    });
    // Still alive, and the good model still works.
    expect((await engine.transcribe(speech, { language: 'en' })).text).toBe(TEST_MODEL_TEXT);
  });
});

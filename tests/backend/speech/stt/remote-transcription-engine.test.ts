import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RemoteTranscriptionEngine } from '../../../../backend/speech/stt';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from './fake-transcription-server';

let server: FakeTranscriptionServer;
const speech = Float32Array.from({ length: 16_000 }, (_, index) => 0.5 * Math.sin(index / 8));

beforeAll(async () => {
  server = await startFakeTranscriptionServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.answer = { text: '  hello from the server ' };
});

describe('RemoteTranscriptionEngine (OpenAI-compatible /v1/audio/transcriptions)', () => {
  it('sends the utterance as a 16 kHz mono 16-bit WAV in a multipart form and returns the text', async () => {
    const engine = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'whisper-1' });
    const transcript = await engine.transcribe(speech, { language: 'de' });

    expect(transcript).toMatchObject({ text: 'hello from the server', language: 'de', segments: [] });
    expect(transcript.timings.inferenceMs).toBeGreaterThan(0);
    const [request] = server.received;
    expect(request).toMatchObject({ model: 'whisper-1', language: 'de', responseFormat: 'json', fileName: 'utterance.wav', fileType: 'audio/wav', authorization: 'Bearer sk-test' });
    expect(request!.wav).toMatchObject({ format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
    expect(request!.wav.samples.length).toBe(speech.length);
    expect(request!.wav.samples[8]).toBe(Math.round(speech[8]! * 32768));
  });

  it('leaves the language out for auto-detection', async () => {
    const engine = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
    const transcript = await engine.transcribe(speech, { language: 'auto' });
    expect(server.received[0]!.language).toBeUndefined();
    expect(transcript.language).toBeUndefined();
  });

  it('explains server errors, a wrong key and an unreachable server', async () => {
    const engine = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
    server.answer = { text: '', status: 401 };
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('401'), hint: 'Check the API key.' });
    server.answer = { text: '', status: 500 };
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('500') });

    const nowhere = new RemoteTranscriptionEngine({ baseUrl: 'http://127.0.0.1:9/v1', model: 'whisper-1' });
    await expect(nowhere.transcribe(speech)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Cannot reach') });
  });

  it('aborts the request when cancelled, and times out a server that does not answer', async () => {
    server.answer = { text: 'late', delayMs: 5_000 };
    const engine = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
    const controller = new AbortController();
    const started = performance.now();
    const pending = engine.transcribe(speech, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1000);

    const hasty = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, model: 'whisper-1', timeoutMs: 200 });
    await expect(hasty.transcribe(speech)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('never sends bad audio', async () => {
    const engine = new RemoteTranscriptionEngine({ baseUrl: server.baseUrl, model: 'whisper-1' });
    expect((await engine.transcribe(new Float32Array(0))).text).toBe('');
    await expect(engine.transcribe(Float32Array.of(Number.NaN, 0.2))).rejects.toMatchObject({ code: 'invalid_params' });
    expect(server.received).toHaveLength(0);
  });
});

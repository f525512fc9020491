import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { durationSeconds, encodeWav, floatToPcm16, rms } from '#audio';
import { OPENAI_VOICES, RemoteSpeechEngine } from '../../../../backend/speech/tts';
import { sine } from '../audio/audio-tools';

interface SpeechRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; voice: string; input: string; response_format?: string; speed?: number };
}

type Handler = (request: SpeechRequest, response: ServerResponse) => void;

/** A stand-in for an OpenAI-compatible speech server on 127.0.0.1; each test sets how it answers. */
class FakeSpeechServer {
  readonly requests: SpeechRequest[] = [];
  handler: Handler = () => {};
  private server!: Server;
  baseURL = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const speechRequest = { path: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') };
    this.requests.push(speechRequest);
    this.handler(speechRequest, response);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const TONE = floatToPcm16(sine(440, 24000, 0.5, 0.3));

function answerWav(response: ServerResponse, options: { streamingSizes?: boolean } = {}): void {
  const wav = Buffer.from(encodeWav({ pcm: TONE, sampleRate: 24000 }));
  if (options.streamingSizes) {
    // OpenAI streams WAV and cannot know the sizes up front.
    wav.writeUInt32LE(0xffffffff, 4);
    wav.writeUInt32LE(0xffffffff, 40);
  }
  response.writeHead(200, { 'content-type': 'audio/wav' });
  response.end(wav);
}

function answerPcm(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'audio/pcm' });
  response.end(Buffer.from(TONE.buffer));
}

function answerError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
}

describe('RemoteSpeechEngine (OpenAI-compatible /v1/audio/speech)', () => {
  const server = new FakeSpeechServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  const engine = (options: Partial<ConstructorParameters<typeof RemoteSpeechEngine>[0]> = {}) =>
    new RemoteSpeechEngine({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'tts-1', ...options });

  it('asks for WAV with the model, voice, text and speed, and decodes the answer', async () => {
    server.handler = (_request, response) => answerWav(response);
    const speech = await engine().synthesize('Hello there.', { voice: 'nova', speed: 1.25 });
    expect(server.requests).toEqual([
      { path: '/v1/audio/speech', authorization: 'Bearer sk-test', body: { model: 'tts-1', voice: 'nova', input: 'Hello there.', response_format: 'wav', speed: 1.25 } },
    ]);
    expect(speech.sampleRate).toBe(24000);
    expect(Array.from(speech.pcm)).toEqual(Array.from(TONE));
  });

  it('reads OpenAI\'s streamed WAV, whose header sizes are placeholders', async () => {
    server.handler = (_request, response) => answerWav(response, { streamingSizes: true });
    const speech = await engine().synthesize('Hi.');
    expect(durationSeconds(speech)).toBeCloseTo(0.5, 3);
  });

  it('reads raw PCM at the configured rate (OpenAI: 24 kHz) and leaves speed 1 to the server default', async () => {
    server.handler = (_request, response) => answerPcm(response);
    const speech = await engine({ responseFormat: 'pcm', pcmSampleRate: 24000 }).synthesize('Hi.');
    expect(server.requests[0]!.body).toEqual({ model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'pcm' });
    expect(speech).toEqual({ pcm: TONE, sampleRate: 24000 });
  });

  it('applies volume to what the server sent', async () => {
    server.handler = (_request, response) => answerWav(response);
    const speech = await engine().synthesize('Hi.', { volume: 0.5 });
    expect(rms(speech.pcm) / rms(TONE)).toBeCloseTo(0.5, 3);
  });

  it('lists the configured voices (the API has no list) and uses the first as default', async () => {
    expect((await engine().voices()).map((voice) => voice.id)).toEqual(OPENAI_VOICES);
    const custom = engine({ voices: ['af_bella', 'am_adam'] });
    expect(await custom.voices()).toEqual([
      { id: 'af_bella', name: 'af_bella' },
      { id: 'am_adam', name: 'am_adam' },
    ]);
    server.handler = (_request, response) => answerWav(response);
    await custom.synthesize('Hi.');
    expect(server.requests[0]!.body.voice).toBe('af_bella');
  });

  it('turns HTTP failures into errors that say what to fix', async () => {
    server.handler = (_request, response) => answerError(response, 401, 'Incorrect API key provided');
    await expect(engine().synthesize('Hi.')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/^The speech server answered 401: .*Incorrect API key/),
      hint: 'Check the API key of the speech provider.',
    });
    server.handler = (_request, response) => answerError(response, 404, 'model not found');
    await expect(engine().synthesize('Hi.')).rejects.toMatchObject({ code: 'unavailable', hint: expect.stringMatching(/model name/) });
  });

  it('says when the server cannot be reached', async () => {
    const closed = new FakeSpeechServer();
    await closed.start();
    const baseURL = closed.baseURL;
    await closed.close();
    await expect(new RemoteSpeechEngine({ baseURL, model: 'tts-1' }).synthesize('Hi.')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Cannot reach the speech server/) });
  });

  it('refuses an answer that is not the audio it asked for', async () => {
    server.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/flac' });
      response.end(Buffer.from('fLaC\0\0\0\u0022'));
    };
    await expect(engine().synthesize('Hi.')).rejects.toMatchObject({ name: 'AudioFormatError', message: expect.stringMatching(/only WAV, MP3, Ogg Opus and WebM Opus/) });
    server.handler = (_request, response) => {
      response.writeHead(200);
      response.end(Buffer.from([1, 2, 3]));
    };
    await expect(engine({ responseFormat: 'pcm' }).synthesize('Hi.')).rejects.toThrow(/odd number/);
  });

  it('cancels the request when the signal fires', async () => {
    let answered = false;
    server.handler = (_request, response) => {
      setTimeout(() => {
        answered = true;
        if (!response.destroyed) answerWav(response);
      }, 2000);
    };
    const controller = new AbortController();
    const started = performance.now();
    const pending = engine().synthesize('Hi.', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answered).toBe(false);
  });
});

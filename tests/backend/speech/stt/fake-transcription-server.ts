/**
 * A stand-in for an OpenAI-compatible POST /v1/audio/transcriptions on 127.0.0.1: it parses the
 * multipart form as a real server would (the platform's own FormData parser), checks that the file
 * is a valid 16 kHz mono 16-bit WAV, and answers JSON. Each request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedTranscription {
  model: string;
  language: string | undefined;
  responseFormat: string | undefined;
  fileName: string;
  fileType: string;
  authorization: string | undefined;
  /** A gateway header a provider may add (the provider's extra headers). */
  gateway: string | undefined;
  wav: ParsedWav;
}

export interface ParsedWav {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  samples: Int16Array;
}

export interface FakeTranscriptionServer {
  baseUrl: string;
  received: ReceivedTranscription[];
  /** What the next answers are: a text, an HTTP error, or a delay before the text. */
  answer: { text: string; status?: number; delayMs?: number };
  close(): Promise<void>;
}

export async function startFakeTranscriptionServer(): Promise<FakeTranscriptionServer> {
  const received: ReceivedTranscription[] = [];
  const state: FakeTranscriptionServer = { baseUrl: '', received, answer: { text: 'hello from the server' }, close: async () => {} };
  const server = createServer((request, response) => {
    handle(request, response, state).catch((error: unknown) => sendJson(response, 400, { error: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

async function handle(request: IncomingMessage, response: ServerResponse, state: FakeTranscriptionServer): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/v1/audio/transcriptions') {
    sendJson(response, 404, { error: { message: `no route ${request.method} ${request.url}` } });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const form = await new Request('http://fake/', {
    method: 'POST',
    headers: { 'content-type': request.headers['content-type'] ?? '' },
    body: Buffer.concat(chunks),
  }).formData();
  const file = form.get('file');
  if (!(file instanceof File)) throw new Error('the form has no file part');
  state.received.push({
    model: String(form.get('model')),
    language: form.get('language')?.toString(),
    responseFormat: form.get('response_format')?.toString(),
    fileName: file.name,
    fileType: file.type,
    authorization: request.headers.authorization,
    gateway: request.headers['x-gateway']?.toString(),
    wav: parseWav(Buffer.from(await file.arrayBuffer())),
  });
  const { text, status = 200, delayMs = 0 } = state.answer;
  if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (response.destroyed) return;
  if (status !== 200) sendJson(response, status, { error: { message: `scripted failure ${status}`, type: 'invalid_request_error' } });
  else sendJson(response, 200, { text });
}

/** Strict: a canonical 44-byte header whose sizes agree with the file, or it throws. */
export function parseWav(bytes: Buffer): ParsedWav {
  const fail = (why: string) => {
    throw new Error(`not a valid WAV: ${why}`);
  };
  if (bytes.length < 44) fail('shorter than a header');
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') fail('no RIFF/WAVE signature');
  if (bytes.readUInt32LE(4) !== bytes.length - 8) fail('RIFF size does not match the file');
  if (bytes.toString('ascii', 12, 16) !== 'fmt ' || bytes.readUInt32LE(16) !== 16) fail('no 16-byte fmt chunk');
  const format = bytes.readUInt16LE(20);
  const channels = bytes.readUInt16LE(22);
  const sampleRate = bytes.readUInt32LE(24);
  const bitsPerSample = bytes.readUInt16LE(34);
  if (bytes.readUInt32LE(28) !== (sampleRate * channels * bitsPerSample) / 8) fail('byte rate does not match');
  if (bytes.toString('ascii', 36, 40) !== 'data') fail('no data chunk');
  const dataBytes = bytes.readUInt32LE(40);
  if (dataBytes !== bytes.length - 44) fail('data size does not match the file');
  const samples = new Int16Array(dataBytes / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = bytes.readInt16LE(44 + 2 * index);
  return { format, channels, sampleRate, bitsPerSample, samples };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

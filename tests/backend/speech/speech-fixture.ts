/**
 * The real backend (in this process, real HTTP and socket) set up for the voice loop: the scripted
 * LLM as the console's model, the fake transcription server as a "remote" speech-to-text provider,
 * and helpers to speak into a voice stream the way the console does (16 kHz PCM16 capture frames).
 */
import OpenAI from 'openai';
import { AudioFrameKind, encodeAudioFrame, type EventData, type EventName, type ServerFrame } from '#protocol';
import { startTestBackend, type ParleySocketClient, type TestBackend } from '../../support/backend-harness';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from './stt/fake-transcription-server';
import { compose, synthesize, toPcm16, type Segment } from './vad/test-audio';

export const SAMPLE_RATE = 16_000;
/** The console sends ~20-32 ms frames; 20 ms here. */
export const CHUNK_SAMPLES = 320;
/** Generous waits: a loaded two-core machine runs Silero, espeak and SQLite for every turn. */
export const VOICE_WAIT_MS = 20_000;

export interface SpeechFixture {
  backend: TestBackend;
  llm: ScriptedOpenAiServer;
  stt: FakeTranscriptionServer;
  conversationId: string;
  /** voice.stt.engine 'remote' on the fake transcription server (provider "stt", model "whisper-1"). */
  useRemoteStt(): Promise<void>;
  /** An `openai` SDK client on Parley's own /v1 (the control token as the API key). */
  openai(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

export async function startSpeechFixture(): Promise<SpeechFixture> {
  const llm = await startScriptedOpenAiServer({ models: ['model-a'], whenEmpty: 'echo' });
  let stt: FakeTranscriptionServer | undefined;
  let backend: TestBackend | undefined;
  let conversationId: string;
  try {
    stt = await startFakeTranscriptionServer();
    backend = await startTestBackend();
    await backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await backend.call('settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'model-a' } });
    conversationId = (await backend.call('conversations.create', { title: 'Voice' })).conversation.id;
  } catch (error) {
    // The caller gets no fixture to close: close what was started here.
    await backend?.close();
    await Promise.all([llm.close(), stt?.close()]);
    throw error;
  }
  return startedFixture(llm, stt, backend, conversationId);
}

function startedFixture(llm: ScriptedOpenAiServer, stt: FakeTranscriptionServer, backend: TestBackend, conversationId: string): SpeechFixture {
  return {
    backend,
    llm,
    stt,
    conversationId,
    useRemoteStt: async () => {
      await backend.call('providers.save', { id: 'stt', kind: 'custom', name: 'Transcriber', baseUrl: stt.baseUrl, apiKey: 'sk-stt', maxRetries: 0 });
      await backend.call('settings.set', { key: 'voice.stt.engine', value: 'remote' });
      await backend.call('settings.set', { key: 'voice.stt.remote', value: { providerId: 'stt', model: 'whisper-1' } });
    },
    openai: (apiKey = backend.token) => new OpenAI({ baseURL: `${backend.url}/v1`, apiKey, maxRetries: 0, timeout: 30_000 }),
    close: async () => {
      await backend.close();
      await Promise.all([llm.close(), stt.close()]);
    },
  };
}

const spoken = new Map<string, Int16Array>();

/** `text` spoken by espeak-ng as 16 kHz PCM16 (what the console sends), cached per text. */
export function speech(text: string): Int16Array {
  let pcm = spoken.get(text);
  if (!pcm) {
    pcm = toPcm16(synthesize(text));
    spoken.set(text, pcm);
  }
  return pcm;
}

/** Silences and speech clips one after the other, as PCM16. */
export function utterance(segments: Segment[]): Int16Array {
  return toPcm16(compose(segments).samples);
}

export function silence(ms: number): Int16Array {
  return new Int16Array((SAMPLE_RATE * ms) / 1000);
}

/**
 * Sends PCM16 as capture frames of {@link CHUNK_SAMPLES}. `pace` 1 is real time (the microphone's
 * own pace), 2 twice as fast, Infinity all at once; a late timer never makes it slower overall.
 */
export async function sendCapture(socket: ParleySocketClient, streamId: number, pcm: Int16Array, options: { pace?: number; kind?: AudioFrameKind } = {}): Promise<void> {
  const pace = options.pace ?? 1;
  const started = performance.now();
  for (let offset = 0; offset < pcm.length; offset += CHUNK_SAMPLES) {
    const chunk = pcm.subarray(offset, offset + CHUNK_SAMPLES);
    socket.send(encodeAudioFrame({ kind: options.kind ?? AudioFrameKind.capturePcm, streamId, payload: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) }));
    if (Number.isFinite(pace)) {
      const due = started + ((offset + chunk.length) / SAMPLE_RATE) * (1000 / pace);
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

type EventFrame = Extract<ServerFrame, { kind: 'event' }>;

/** Every event of that name received so far for this stream, in order. */
export function voiceEvents<E extends EventName>(socket: ParleySocketClient, event: E, streamId?: number): Array<EventData<E>> {
  return socket.frames
    .filter((frame): frame is EventFrame => frame.kind === 'event' && frame.event === event)
    .map((frame) => frame.data as EventData<E>)
    .filter((data) => streamId === undefined || (data as { streamId?: number }).streamId === streamId);
}

/** The next not-yet-taken event of that name that matches; fails with the frames so far after `timeoutMs`. */
export async function nextVoiceEvent<E extends EventName>(
  socket: ParleySocketClient,
  event: E,
  match: (data: EventData<E>) => boolean = () => true,
  timeoutMs = VOICE_WAIT_MS,
): Promise<EventData<E>> {
  const frame = await socket.waitForFrame((candidate) => candidate.kind === 'event' && candidate.event === event && match(candidate.data as EventData<E>), `event ${event}`, timeoutMs);
  return (frame as EventFrame).data as EventData<E>;
}

/** The voice.state sequence of a stream, in order. */
export function stateSequence(socket: ParleySocketClient, streamId: number): string[] {
  return voiceEvents(socket, 'voice.state', streamId).map((data) => data.state);
}

/** PCM16 samples of the playback frames received for a stream, in order. */
export function playbackSamples(socket: ParleySocketClient, streamId: number): Int16Array[] {
  return socket.binaryFrames
    .filter((bytes) => bytes.readUInt8(1) === AudioFrameKind.playbackPcm && bytes.readUInt32LE(4) === streamId)
    .map((bytes) => {
      const payload = bytes.subarray(8);
      return new Int16Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength));
    });
}

/** RMS level in dBFS (-120 for digital silence). */
export function dbfs(samples: Int16Array | Float32Array): number {
  if (samples.length === 0) return -120;
  const scale = samples instanceof Int16Array ? 32768 : 1;
  let sum = 0;
  for (const sample of samples) sum += (sample / scale) ** 2;
  return Math.max(-120, 10 * Math.log10(sum / samples.length));
}

/** Share of 20 ms frames louder than `thresholdDbfs`: speech has many, a click or a beep few. */
export function loudFrameShare(samples: Int16Array | Float32Array, sampleRate: number, thresholdDbfs = -40): number {
  const frame = Math.round(sampleRate / 50);
  let loud = 0;
  let total = 0;
  for (let offset = 0; offset + frame <= samples.length; offset += frame) {
    total++;
    if (dbfs(samples.subarray(offset, offset + frame)) > thresholdDbfs) loud++;
  }
  return total === 0 ? 0 : loud / total;
}

import { AudioFrameKind, CAPTURE_SAMPLE_RATE, decodeAudioFrame, encodeAudioFrame } from '#protocol';
import { floatToPcm16 } from '#audio';
import { VoiceActivityDetector } from '../../backend/speech/vad';
import { connectParleySocket, type ParleySocketClient } from '../support/backend-harness';
import { cachedGgmlWhisperModel, TINY_EN_MODEL } from '../support/ggml-whisper-model';
import { speak, speechOfSeconds } from '../support/ggml-whisper-speech';
import { reply, startScriptedOpenAiServer } from '../support/scripted-openai-server';
import { startServerProcess } from '../support/server-process';
import { median, type BenchRow } from './bench-table';

const ROUND_TRIPS = 5;
const BARGE_INS = 5;
const FIRST_TOKEN_DELAY_MS = 200;
const ANSWER = 'It is ten past three in the afternoon. Anything else I can do for you?';
/** Long and slow, so playback is still running when the user speaks over it. */
const LONG_ANSWER = Array.from({ length: 40 }, (_, index) => `This is sentence number ${index + 1} of a long answer.`).join(' ');
const CHUNK_SAMPLES = 320; // 20 ms, as the console sends
const FRAME_WAIT_MS = 120_000;

/**
 * The voice loop through the real backend in server mode, over the socket, as the console drives
 * it: the product's default local Whisper engine with the tiny.en-shaped model, the scripted LLM at
 * a fixed 200 ms to first token, espeak-ng speaking the answer.
 *
 * - Round trip: the question spoken in real time while push-to-talk is held (partial transcripts
 *   run meanwhile, as they do for a user), released (end of speech) → first playback PCM frame
 *   received. Baseline: the LLM's own 200 ms, the part no pipeline can remove.
 * - Barge-in: speech onset in the capture stream (sent in real time during playback) → the
 *   "playback stopped" event received. Baseline: the VAD's own decision time on the same audio,
 *   measured in process: what is left is the pipeline's share.
 */
export async function benchVoice(): Promise<BenchRow[]> {
  const progress = (text: string) => process.stderr.write(`  voice: ${text}\n`);
  const [question, interruption, modelPath] = await Promise.all([speechOfSeconds(3), speak('Wait, stop please.'), cachedGgmlWhisperModel(TINY_EN_MODEL)]);
  const llm = await startScriptedOpenAiServer({ models: ['bench-model'], whenEmpty: reply.text(ANSWER, { firstTokenDelayMs: FIRST_TOKEN_DELAY_MS }) });
  const server = await startServerProcess({ env: { PARLEY_LOG_LEVEL: 'warn', PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'bench-model' } });
  try {
    const socket = await connectParleySocket(`${server.url.replace('http', 'ws')}/ws`, server.token);
    await socket.waitForEvent('system.hello');
    const { model } = await socket.call('speech.models.registerCustom', { kind: 'whisper', path: modelPath });
    await socket.call('settings.set', { key: 'voice.stt.model', value: model.id });
    const { conversation } = await socket.call('conversations.create', {});
    const { streamId } = await socket.call('voice.start', { conversationId: conversation.id, mode: 'push-to-talk' });

    progress(`round trip × ${ROUND_TRIPS} (+1 warm-up)…`);
    const roundTrips: number[] = [];
    const breakdown = { transcribeMs: [] as number[], firstTokenMs: [] as number[], firstAudioMs: [] as number[] };
    for (let run = 0; run <= ROUND_TRIPS; run++) {
      await socket.call('voice.pushToTalk', { streamId, pressed: true });
      await sendInRealTime(socket, streamId, question);
      const binaryBefore = socket.binaryFrames.length;
      const turned = waitForNewEvent(socket, 'voice.turn', () => true);
      const released = performance.now();
      await socket.call('voice.pushToTalk', { streamId, pressed: false });
      const firstAudioAt = await firstPlaybackFrameAfter(socket, binaryBefore);
      const turn = (await turned) as { latency: { transcribeMs: number; firstTokenMs?: number; firstAudioMs?: number } };
      const stopped = waitForPlayback(socket, 'stop');
      await socket.call('voice.interrupt', { streamId });
      await stopped;
      if (run === 0) continue;
      roundTrips.push(firstAudioAt - released);
      breakdown.transcribeMs.push(turn.latency.transcribeMs);
      breakdown.firstTokenMs.push(turn.latency.firstTokenMs ?? NaN);
      breakdown.firstAudioMs.push(turn.latency.firstAudioMs ?? NaN);
    }

    await socket.call('voice.stop', { streamId });

    // Barge-in by voice is a hands-free affair: the microphone streams all the time, as the console's does.
    progress(`barge-in × ${BARGE_INS}…`);
    const handsFree = (await socket.call('voice.start', { conversationId: conversation.id, mode: 'hands-free' })).streamId;
    const microphone = new RealTimeMicrophone(socket, handsFree);
    const onsetSample = speechOnset(interruption);
    const bargeIns: number[] = [];
    try {
      for (let run = 0; run < BARGE_INS; run++) {
        llm.enqueue(reply.text(LONG_ANSWER, { firstTokenDelayMs: FIRST_TOKEN_DELAY_MS, chunkDelayMs: 30 }));
        const started = waitForPlayback(socket, 'start');
        await microphone.play(question);
        await started;
        const stopped = waitForPlayback(socket, 'barge-in');
        const spokeAt = await microphone.play(interruption, stopped);
        await stopped;
        bargeIns.push(performance.now() - (spokeAt + (onsetSample / CAPTURE_SAMPLE_RATE) * 1000));
        // The interruption is an utterance of its own: let it end, then drop its turn.
        await waitForNewEvent(socket, 'voice.transcript', (data) => (data as { final: boolean }).final);
        await socket.call('voice.interrupt', { streamId: handsFree });
      }
    } finally {
      microphone.stop();
    }
    await socket.call('voice.stop', { streamId: handsFree });
    await socket.close();

    const vadDecision = await vadDecisionMs(interruption, onsetSample);
    return [
      {
        name: 'voice round trip: end of speech → first audio out (3 s utterance, tiny.en-shaped whisper, LLM TTFT 200 ms)',
        value: median(roundTrips),
        unit: 'ms',
        baselineName: 'the LLM time to first token alone',
        baseline: FIRST_TOKEN_DELAY_MS,
        goal: '< 1000 ms',
      },
      { name: '  of which end of speech → final transcript', value: median(breakdown.transcribeMs), unit: 'ms' },
      { name: '  of which final transcript → first token', value: median(breakdown.firstTokenMs), unit: 'ms', baselineName: 'scripted LLM delay', baseline: FIRST_TOKEN_DELAY_MS },
      { name: '  of which first token → first audio', value: median(breakdown.firstAudioMs), unit: 'ms' },
      { name: 'barge-in: speech onset → playback stopped', value: median(bargeIns), unit: 'ms', baselineName: 'Silero VAD decision alone, in process', baseline: vadDecision, goal: '< 100 ms' },
    ];
  } finally {
    await server.stop();
    await llm.close();
  }
}

function* chunks(samples: Float32Array): Generator<Int16Array> {
  for (let offset = 0; offset < samples.length; offset += CHUNK_SAMPLES) {
    yield floatToPcm16(samples.subarray(offset, offset + CHUNK_SAMPLES));
  }
}

function captureFrame(streamId: number, pcm: Int16Array): Uint8Array {
  return encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId, payload: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength) });
}

/**
 * Resolves at the next message the socket receives (the harness has queued it by then). Waits are
 * driven by messages, never by polling: a polling loop would take a core from whisper.cpp, which
 * the measurement shares the machine with.
 */
function nextMessage(socket: ParleySocketClient, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.socket.off('message', onMessage);
      reject(new Error(`nothing arrived within ${FRAME_WAIT_MS} ms`));
    }, Math.max(0, deadline - performance.now()));
    const onMessage = () => {
      clearTimeout(timer);
      socket.socket.off('message', onMessage);
      // The harness's own listener, registered first, queues the frame in this same turn.
      queueMicrotask(resolve);
    };
    socket.socket.on('message', onMessage);
  });
}

async function firstPlaybackFrameAfter(socket: ParleySocketClient, seen: number): Promise<number> {
  const deadline = performance.now() + FRAME_WAIT_MS;
  for (;;) {
    for (; seen < socket.binaryFrames.length; seen++) {
      if (decodeAudioFrame(socket.binaryFrames[seen]!)?.kind === AudioFrameKind.playbackPcm) return performance.now();
    }
    await nextMessage(socket, deadline);
  }
}

/** Push-to-talk capture: 20 ms frames at the pace a microphone produces them. */
async function sendInRealTime(socket: ParleySocketClient, streamId: number, samples: Float32Array): Promise<void> {
  const started = performance.now();
  let sent = 0;
  for (const chunk of chunks(samples)) {
    const wait = started + (sent / CAPTURE_SAMPLE_RATE) * 1000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    socket.send(captureFrame(streamId, chunk));
    sent += chunk.length;
  }
}

function waitForPlayback(socket: ParleySocketClient, what: 'start' | 'stop' | 'barge-in'): Promise<unknown> {
  return waitForNewEvent(socket, 'voice.playback', (data) => {
    const playback = data as { action: string; reason?: string };
    return what === 'barge-in' ? playback.reason === 'barge-in' : playback.action === what;
  });
}

/** The first matching event that arrives from now on: earlier ones (of earlier turns) never count. */
async function waitForNewEvent(socket: ParleySocketClient, event: string, match: (data: unknown) => boolean): Promise<unknown> {
  let index = socket.frames.length;
  const deadline = performance.now() + FRAME_WAIT_MS;
  for (;;) {
    for (; index < socket.frames.length; index++) {
      const frame = socket.frames[index]!;
      if (frame.kind === 'event' && frame.event === event && match(frame.data)) return frame.data;
    }
    await nextMessage(socket, deadline);
  }
}

/**
 * A microphone in real time: 20 ms frames of silence, or of the audio being played into it. The
 * stream never pauses, as a hands-free console's does not.
 */
class RealTimeMicrophone {
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private sentSamples = 0;
  private playing: { samples: Float32Array; offset: number; began: number; done(): void; until: { settled: boolean } } | undefined;

  constructor(
    private readonly socket: ParleySocketClient,
    private readonly streamId: number,
  ) {
    this.timer = setInterval(() => this.sendDue(), 5);
  }

  /** Resolves with when the audio began, once it is all sent (or `until` settled) and 600 ms of silence followed. */
  play(samples: Float32Array, until?: Promise<unknown>): Promise<number> {
    const guard = { settled: false };
    void until?.then(() => (guard.settled = true), () => (guard.settled = true));
    return new Promise((resolve) => {
      const began = this.startedAt + (this.sentSamples / CAPTURE_SAMPLE_RATE) * 1000;
      const trailing = new Float32Array(Math.round(0.6 * CAPTURE_SAMPLE_RATE));
      const withSilence = new Float32Array(samples.length + trailing.length);
      withSilence.set(samples);
      this.playing = { samples: withSilence, offset: 0, began, done: () => resolve(began), until: guard };
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sendDue(): void {
    const due = Math.floor((((performance.now() - this.startedAt) / 1000) * CAPTURE_SAMPLE_RATE) / CHUNK_SAMPLES) * CHUNK_SAMPLES;
    while (this.sentSamples < due) {
      const playing = this.playing;
      let chunk = new Float32Array(CHUNK_SAMPLES);
      if (playing && !playing.until.settled && playing.offset < playing.samples.length) {
        chunk = playing.samples.slice(playing.offset, playing.offset + CHUNK_SAMPLES);
        playing.offset += CHUNK_SAMPLES;
      } else if (playing) {
        this.playing = undefined;
        playing.done();
      }
      const [pcm] = chunks(chunk);
      this.socket.send(captureFrame(this.streamId, pcm ?? new Int16Array(CHUNK_SAMPLES)));
      this.sentSamples += CHUNK_SAMPLES;
    }
  }
}

/** First 10 ms block loud enough to be speech: where the onset truly is in the test audio. */
function speechOnset(samples: Float32Array): number {
  const block = CAPTURE_SAMPLE_RATE / 100;
  for (let offset = 0; offset + block <= samples.length; offset += block) {
    let energy = 0;
    for (let index = offset; index < offset + block; index++) energy += samples[index]! * samples[index]!;
    if (Math.sqrt(energy / block) > 0.02) return offset;
  }
  return 0;
}

/** When the detector, fed the same audio during playback, declares speech: relative to the true onset. */
async function vadDecisionMs(samples: Float32Array, onsetSample: number): Promise<number> {
  const detector = await VoiceActivityDetector.create({});
  detector.setPlaybackActive(true); // as during the answer the user interrupts
  let decidedAtSample: number | undefined;
  let pushed = 0;
  detector.onSpeechStart(() => (decidedAtSample ??= pushed));
  for (const chunk of chunks(samples)) {
    pushed += chunk.length;
    await detector.push(chunk);
    if (decidedAtSample !== undefined) break;
  }
  return decidedAtSample === undefined ? NaN : ((decidedAtSample - onsetSample) / CAPTURE_SAMPLE_RATE) * 1000;
}

import { AudioFrameKind, ParleyError, type AudioFrame, type EventData, type MethodHandlers, type VoiceMode } from '#protocol';
import { DisposableStore, toDisposable, toParleyError } from '../base';
import type { ConnectionChannel } from '../platform/events';
import type { Logger } from '../platform/observability';
import type { SettingsRepository } from '../store';
import type { ConfiguredEngines } from './engines/configured-engines';
import { createSileroActivity } from './engines/silero-activity';
import { StreamingTranscriber } from './stt';
import { SpeakableSentenceStream } from './text';
import type { AgentTurnPort, SpeechRecognizer, SpeechSynthesizer, VoiceActivity } from './session/ports';
import { VoiceSession } from './session/voice-session';

export type VoiceMethod = 'voice.start' | 'voice.stop' | 'voice.pushToTalk' | 'voice.interrupt';

/** Two windows of one console may each hold a stream; more from one socket is a client bug. */
const MAX_STREAMS_PER_CONNECTION = 2;
/** About 2 s of 16 kHz PCM16: the console sends ~20-100 ms chunks. */
const MAX_CAPTURE_FRAME_BYTES = 64 * 1024;

export interface VoiceStreamDependencies {
  channel: ConnectionChannel;
  engines: ConfiguredEngines;
  settings: SettingsRepository;
  agent: AgentTurnPort;
  logger: Logger;
  /** Where each voice turn's stage durations go (parley_stage_duration_seconds). */
  observeStage?(stage: 'vad_end' | 'stt' | 'tts_first_audio', milliseconds: number): void;
}

interface OpenStream {
  connectionId: string;
  session: VoiceSession;
  activity: VoiceActivity & { configure(update: { silenceMs?: number; sensitivity?: number }): void };
  /** Bad frames are reported once per stream, not once per frame. */
  reportedBadFrame: boolean;
}

/**
 * The voice streams the consoles opened: each is a VoiceSession fed by its socket's capture frames
 * and answering on that socket only (events and playback frames). A closed socket ends its streams.
 */
export class VoiceStreams {
  private nextStreamId = 1;
  private readonly streams = new Map<number, OpenStream>();
  /** "connection/stream" pairs already told that the stream is not theirs. */
  private readonly reportedIntrusions = new Set<string>();
  private readonly recognizer: SpeechRecognizer;
  private readonly synthesizer: SpeechSynthesizer;
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly deps: VoiceStreamDependencies) {
    const recognition = deps.engines.recognitionEngine();
    this.recognizer = {
      startUtterance(onPartial) {
        const transcriber = new StreamingTranscriber({ engine: recognition, onPartial });
        return { push: (pcm) => transcriber.push(pcm), finish: async () => (await transcriber.finish()).text, cancel: () => transcriber.cancel() };
      },
    };
    this.synthesizer = {
      async synthesize(text, signal) {
        const synthesis = await deps.engines.currentSynthesis();
        return synthesis.engine.synthesize(text, { voice: synthesis.voice, speed: synthesis.speed, volume: synthesis.volume, signal });
      },
    };
    this.subscriptions.add(deps.channel.onAudioFrame((connectionId, frame) => this.receiveFrame(connectionId, frame)));
    this.subscriptions.add(deps.channel.onConnectionClosed((connectionId) => this.closeConnection(connectionId)));
    this.subscriptions.add(
      toDisposable(
        deps.settings.onChange((key) => {
          if (key === 'voice.vad.silenceMs' || key === 'voice.vad.sensitivity') void this.reconfigureActivity();
        }),
      ),
    );
  }

  get openCount(): number {
    return this.streams.size;
  }

  handlers(): MethodHandlers<VoiceMethod> {
    return {
      'voice.start': async ({ conversationId, mode }, context) => {
        const connectionId = context.connectionId;
        if (!connectionId) throw new ParleyError('bad_request', 'Voice streams are opened on the control socket, not over HTTP');
        return { streamId: await this.open(connectionId, conversationId, mode) };
      },
      'voice.stop': ({ streamId }, context) => {
        const stream = this.owned(streamId, context.connectionId);
        stream.session.close();
        this.streams.delete(streamId);
        return {};
      },
      'voice.pushToTalk': ({ streamId, pressed }, context) => {
        this.owned(streamId, context.connectionId).session.pushToTalk(pressed);
        return {};
      },
      'voice.interrupt': ({ streamId }, context) => {
        this.owned(streamId, context.connectionId).session.interrupt();
        return {};
      },
    };
  }

  /** Ends every stream and stops listening to the sockets (the backend is stopping). */
  closeAll(): void {
    this.subscriptions.dispose();
    for (const [streamId, stream] of this.streams) {
      stream.session.close();
      this.streams.delete(streamId);
    }
  }

  private async open(connectionId: string, conversationId: string, mode: VoiceMode): Promise<number> {
    const held = [...this.streams.values()].filter((stream) => stream.connectionId === connectionId).length;
    if (held >= MAX_STREAMS_PER_CONNECTION) {
      throw new ParleyError('conflict', `This console already has ${held} voice streams open`, { hint: 'Stop voice in the other window first.' });
    }
    // Fail now, with the reason, rather than at the end of the first utterance.
    await this.deps.agent.checkConversation(conversationId);
    await this.deps.engines.currentRecognition();
    void this.deps.engines.currentSynthesis().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'speech synthesis is not ready'));
    const settings = await this.deps.settings.getAll();
    const streamId = this.nextStreamId++;
    const { channel, logger } = this.deps;
    const reportError = (error: unknown) => {
      const parley = toParleyError(error, 'Voice failed');
      if (parley.code === 'cancelled') return;
      logger.warn({ err: error, streamId }, 'voice stream error');
      channel.sendEvent(connectionId, 'voice.error', { streamId, error: parley.toWire() });
    };
    const activity = await createSileroActivity({ silenceMs: settings['voice.vad.silenceMs'], sensitivity: settings['voice.vad.sensitivity'] }, reportError, (ms) => this.deps.observeStage?.('vad_end', ms));
    activity.onSpeechStart(() => channel.sendEvent(connectionId, 'voice.activity', { streamId, speaking: true }));
    activity.onSpeechEnd(() => channel.sendEvent(connectionId, 'voice.activity', { streamId, speaking: false }));
    const session = new VoiceSession({
      streamId,
      conversationId,
      mode,
      recognizer: this.recognizer,
      synthesizer: this.synthesizer,
      activity,
      createSentenceStream: () => new SpeakableSentenceStream(),
      // The sentence stream already made each sentence speakable.
      toSpeakable: (text) => text,
      agent: this.deps.agent,
      output: {
        event: (event, data) => {
          if (event === 'voice.turn') this.recordStages(data as EventData<'voice.turn'>);
          channel.sendEvent(connectionId, event, data);
        },
        audio: (pcm) => channel.sendAudio(connectionId, { kind: AudioFrameKind.playbackPcm, streamId, payload: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength) }),
      },
      onError: reportError,
    });
    this.streams.set(streamId, { connectionId, session, activity, reportedBadFrame: false });
    logger.info({ streamId, conversationId, mode, connectionId }, 'voice stream opened');
    return streamId;
  }

  private recordStages({ latency }: EventData<'voice.turn'>): void {
    this.deps.observeStage?.('stt', latency.transcribeMs);
    if (latency.firstAudioMs !== undefined) this.deps.observeStage?.('tts_first_audio', latency.firstAudioMs);
  }

  private receiveFrame(connectionId: string, frame: AudioFrame): void {
    const stream = this.streams.get(frame.streamId);
    if (!stream) {
      // Frames still in flight when a stream stops are expected; they are dropped quietly.
      this.deps.logger.debug({ streamId: frame.streamId, connectionId }, 'capture frame for a stream that is not open');
      return;
    }
    if (stream.connectionId !== connectionId) {
      // Another console's stream: never heard, and the sender is told once (a client bug, or worse).
      const key = `${connectionId}/${frame.streamId}`;
      if (!this.reportedIntrusions.has(key)) {
        this.reportedIntrusions.add(key);
        this.deps.logger.warn({ streamId: frame.streamId, connectionId, owner: stream.connectionId }, 'audio frame for a voice stream of another connection');
        this.deps.channel.sendEvent(connectionId, 'voice.error', { streamId: frame.streamId, error: notOpenHere(frame.streamId).toWire() });
      }
      return;
    }
    const problem =
      frame.kind !== AudioFrameKind.capturePcm
        ? 'only capture frames may be sent to the backend'
        : frame.payload.byteLength % 2 !== 0
          ? 'its PCM16 payload has an odd number of bytes'
          : frame.payload.byteLength > MAX_CAPTURE_FRAME_BYTES
            ? `it is larger than ${MAX_CAPTURE_FRAME_BYTES} bytes`
            : undefined;
    if (problem) {
      if (!stream.reportedBadFrame) {
        stream.reportedBadFrame = true;
        this.deps.channel.sendEvent(connectionId, 'voice.error', {
          streamId: frame.streamId,
          error: new ParleyError('bad_request', `An audio frame was dropped: ${problem}`).toWire(),
        });
      }
      return;
    }
    stream.session.receiveAudio(pcm16Of(frame.payload));
  }

  private closeConnection(connectionId: string): void {
    for (const key of this.reportedIntrusions) if (key.startsWith(`${connectionId}/`)) this.reportedIntrusions.delete(key);
    for (const [streamId, stream] of this.streams) {
      if (stream.connectionId !== connectionId) continue;
      stream.session.close();
      this.streams.delete(streamId);
      this.deps.logger.info({ streamId, connectionId }, 'voice stream closed with its socket');
    }
  }

  private owned(streamId: number, connectionId: string | undefined): OpenStream {
    const stream = this.streams.get(streamId);
    if (!stream || stream.connectionId !== connectionId) throw notOpenHere(streamId);
    return stream;
  }

  private async reconfigureActivity(): Promise<void> {
    const settings = await this.deps.settings.getAll();
    for (const stream of this.streams.values()) stream.activity.configure({ silenceMs: settings['voice.vad.silenceMs'], sensitivity: settings['voice.vad.sensitivity'] });
  }
}

function notOpenHere(streamId: number): ParleyError {
  return new ParleyError('not_found', `No voice stream ${streamId} is open on this connection`, { hint: 'Press Start voice again.' });
}

/** Frames arrive at any byte offset of the socket's buffer; Int16Array needs an even one. */
function pcm16Of(payload: Uint8Array): Int16Array {
  if (payload.byteOffset % 2 === 0) return new Int16Array(payload.buffer, payload.byteOffset, payload.byteLength / 2);
  return new Int16Array(payload.slice().buffer);
}

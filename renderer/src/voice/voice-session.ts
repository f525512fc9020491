import type { StoreApi } from 'zustand';
import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame, MISSING_SPEECH_MODEL, ParleyError, type VoiceMode } from '#protocol';
import type { ControlClient } from '../connection/control-client';
import type { ErrorRemedy } from '../errors';
import type { CaptureHandlers } from './capture';
import { pcm16FromBytes, pcm16ToBytes } from '#audio';
import { applyVoiceEvent, initialVoiceView, type VoiceEvent, type VoiceView } from './voice-view';

const SOURCE = 'Voice';
const VOICE_PANEL_ID = 'voice';
/** People let go of the key as the last word ends: keep sending this long after the release. */
const TALK_TAIL_MS = 150;
/** Audio from just before the press, sent with it so a first syllable spoken with the press is kept. */
const PRE_ROLL_CHUNKS = 3;

/** An open microphone, as the session uses it (capture.ts's MicrophoneCapture). */
export interface OpenMicrophone {
  flush(): Promise<void>;
  close(): void;
}

/** The agent's voice, as the session uses it (playback.ts's VoicePlayer). */
export interface SessionPlayer {
  prepare(): Promise<unknown>;
  start(sampleRate: number): void;
  push(pcm: Int16Array): void;
  end(): void;
  stop(): void;
}

/** Everything outside the session it talks to: the browser's audio, the rest of the console. Fakes in tests. */
export interface VoiceSessionPorts {
  client: Pick<ControlClient, 'request' | 'on' | 'onBinary' | 'onStatus' | 'sendBinary' | 'status'>;
  store: StoreApi<VoiceView>;
  /** Opens the chosen microphone (falling back to the default one). */
  openMicrophone(handlers: CaptureHandlers): Promise<OpenMicrophone>;
  player(): SessionPlayer;
  /** Creates or resumes the AudioContext: called while the click still counts as a user gesture. */
  unlockAudio(): void;
  /** The Voice panel's microphone test lets go of the device before voice takes it. */
  stopMicTest(): void;
  meterChunk(pcm: Int16Array): void;
  resetMicLevel(): void;
  rememberVoiceMode(mode: VoiceMode): void;
  reportError(source: string, error: unknown, remedy?: ErrorRemedy): void;
  navigateTo(panelId: string): void;
}

/**
 * The console's voice stream: the microphone, the stream on the backend, push-to-talk and the
 * agent's audio. One instance per console (see session.ts); its view lives in the voice store.
 */
export class VoiceSession {
  private capture: OpenMicrophone | null = null;
  private unsubscribe: Array<() => void> = [];
  /** Bumped by every start and stop: async steps of an older session see they are stale. */
  private generation = 0;
  /** Events that arrived before voice.start answered with the stream id. */
  private early: VoiceEvent[] = [];
  private preRoll: Int16Array[] = [];
  /** The backend has been told push-to-talk is pressed (frames flow until it is told otherwise). */
  private pressedOnBackend = false;
  /** Press and release run in order, however fast the key is tapped. */
  private talkChain: Promise<void> = Promise.resolve();
  /** Playback frames are taken between a playback start and stop only. */
  private acceptingPlayback = false;
  private readonly handlers: CaptureHandlers = { onChunk: (pcm) => this.onChunk(pcm), onEnded: () => this.onMicrophoneEnded() };

  constructor(private readonly ports: VoiceSessionPorts) {}

  private get view(): VoiceView {
    return this.ports.store.getState();
  }

  private setView(change: Partial<VoiceView> | ((view: VoiceView) => Partial<VoiceView>)): void {
    this.ports.store.setState(change);
  }

  private isCurrent(streamId: number | null): boolean {
    return streamId !== null && this.view.session === 'on' && this.view.streamId === streamId;
  }

  /** Opens the microphone and a voice stream on the backend for this conversation. Call it from a click. */
  async start(conversationId: string, mode: VoiceMode = this.view.mode): Promise<void> {
    if (this.view.session !== 'off') return;
    const { client } = this.ports;
    const current = ++this.generation;
    this.setView({ ...initialVoiceView(mode), session: 'starting', conversationId });
    try {
      this.ports.unlockAudio(); // now, while the click still counts as a user gesture
      this.ports.stopMicTest();
      const preparing = this.ports.player().prepare();
      preparing.catch(() => undefined); // awaited below; the microphone's failure, if any, is the one to report
      const opened = await this.ports.openMicrophone(this.handlers);
      if (current !== this.generation) return opened.close();
      this.capture = opened;
      await preparing;
      this.subscribe();
      const { streamId } = await client.request('voice.start', { conversationId, mode });
      if (current !== this.generation) {
        client.request('voice.stop', { streamId }).catch(() => undefined);
        return;
      }
      this.setView({ session: 'on', streamId });
      for (const event of this.early) this.setView((view) => applyVoiceEvent(view, event));
      this.early = [];
    } catch (error) {
      if (current !== this.generation) return;
      this.teardown();
      this.ports.reportError(SOURCE, error, this.remedyFor(error));
    }
  }

  /** No Whisper model yet (the first use of local speech recognition): offer the model manager. */
  private remedyFor(error: unknown): ErrorRemedy | undefined {
    const missing = error instanceof ParleyError && (error.details as { missing?: unknown } | undefined)?.missing === MISSING_SPEECH_MODEL;
    return missing ? { label: 'Get a speech model', run: () => this.ports.navigateTo(VOICE_PANEL_ID) } : undefined;
  }

  /** Ends the stream and releases the microphone (the system's indicator goes off). */
  async stop(): Promise<void> {
    const { session, streamId } = this.view;
    if (session === 'off' || session === 'stopping') return;
    const { client } = this.ports;
    this.generation++;
    this.setView({ session: 'stopping' });
    this.teardown();
    if (streamId !== null) {
      await client.request('voice.stop', { streamId }).catch((error: unknown) => {
        if (client.status.state === 'connected') this.ports.reportError(SOURCE, error);
      });
    }
    if (this.view.session === 'stopping') this.setView({ session: 'off' });
  }

  /** Push-to-talk and hands-free open different streams: switching restarts it. */
  async setMode(mode: VoiceMode): Promise<void> {
    this.ports.rememberVoiceMode(mode);
    const { session, conversationId, mode: previous } = this.view;
    if (mode === previous) return;
    this.setView({ mode });
    if (session === 'on' && conversationId) {
      await this.stop();
      await this.start(conversationId, mode);
    }
  }

  setMuted(muted: boolean): void {
    this.setView({ muted });
  }

  pressTalk(): void {
    const { session, mode, talking, streamId } = this.view;
    if (session !== 'on' || mode !== 'push-to-talk' || talking || streamId === null) return;
    this.setView({ talking: true });
    this.talkChain = this.talkChain.then(async () => {
      if (!this.isCurrent(streamId)) return;
      // The request frame leaves first, then the pre-roll and live frames behind it on the same socket.
      const pressed = this.ports.client.request('voice.pushToTalk', { streamId, pressed: true });
      this.pressedOnBackend = true;
      for (const pcm of this.preRoll) this.sendChunk(streamId, pcm);
      this.preRoll = [];
      await pressed.catch((error: unknown) => {
        this.pressedOnBackend = false;
        this.setView({ talking: false });
        this.ports.reportError(SOURCE, error);
      });
    });
  }

  /** For a shortcut that reports presses only (the desktop's global one): each press starts or ends the utterance. */
  toggleTalk(): void {
    if (this.view.talking) this.releaseTalk();
    else this.pressTalk();
  }

  releaseTalk(): void {
    const { talking, streamId } = this.view;
    if (!talking) return;
    this.setView({ talking: false });
    this.talkChain = this.talkChain.then(async () => {
      if (!this.pressedOnBackend || !this.isCurrent(streamId)) return;
      await new Promise((resolve) => setTimeout(resolve, TALK_TAIL_MS));
      await this.capture?.flush();
      this.pressedOnBackend = false;
      if (!this.isCurrent(streamId)) return;
      await this.ports.client.request('voice.pushToTalk', { streamId: streamId!, pressed: false }).catch((error: unknown) => this.ports.reportError(SOURCE, error));
    });
  }

  /** Stops the answer: its audio at once here, and the turn on the backend (the console's own barge-in). */
  interrupt(): void {
    const { streamId } = this.view;
    this.acceptingPlayback = false;
    this.ports.player().stop();
    if (streamId !== null) this.ports.client.request('voice.interrupt', { streamId }).catch((error: unknown) => this.ports.reportError(SOURCE, error));
  }

  /** Reopens the microphone after the user chose another one; the stream goes on. */
  async reopenMicrophone(): Promise<void> {
    if (!this.capture) return;
    const current = this.generation;
    try {
      const next = await this.ports.openMicrophone(this.handlers);
      if (current !== this.generation || !this.capture) return next.close();
      this.capture.close();
      this.capture = next;
    } catch (error) {
      this.ports.reportError(SOURCE, error);
    }
  }

  private onChunk(pcm: Int16Array): void {
    this.ports.meterChunk(pcm);
    const { session, streamId, muted, mode } = this.view;
    if (session !== 'on' || streamId === null || muted) return;
    if (mode === 'hands-free' || this.pressedOnBackend) {
      this.sendChunk(streamId, pcm);
    } else {
      this.preRoll.push(pcm);
      if (this.preRoll.length > PRE_ROLL_CHUNKS) this.preRoll.shift();
    }
  }

  private sendChunk(streamId: number, pcm: Int16Array): void {
    this.ports.client.sendBinary(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId, payload: pcm16ToBytes(pcm) }));
  }

  private onMicrophoneEnded(): void {
    this.ports.reportError(
      SOURCE,
      new ParleyError('unavailable', 'The microphone stopped: it was unplugged or its permission was withdrawn', { hint: 'Check the input in the Voice panel, then press Start voice again.' }),
    );
    void this.stop();
  }

  private subscribe(): void {
    const { client } = this.ports;
    const apply = (event: VoiceEvent) => {
      if (this.view.session === 'starting') this.early.push(event);
      else this.setView((view) => applyVoiceEvent(view, event));
    };
    const player = this.ports.player();
    this.unsubscribe = [
      client.on('voice.state', (data) => apply({ event: 'voice.state', data })),
      client.on('voice.activity', (data) => apply({ event: 'voice.activity', data })),
      client.on('voice.transcript', (data) => apply({ event: 'voice.transcript', data })),
      client.on('voice.turn', (data) => apply({ event: 'voice.turn', data })),
      client.on('voice.error', ({ streamId, error }) => {
        if (streamId === this.view.streamId) this.ports.reportError(SOURCE, ParleyError.fromWire(error));
      }),
      client.on('voice.playback', (data) => {
        if (data.streamId !== this.view.streamId) return;
        if (data.action === 'start') {
          this.acceptingPlayback = true;
          player.start(data.sampleRate);
          return;
        }
        this.acceptingPlayback = false;
        // "finished" means every frame was sent: what is queued is the end of the answer, play it.
        if (data.reason === 'finished') player.end();
        else player.stop();
      }),
      client.onBinary((bytes) => {
        if (!this.acceptingPlayback) return;
        const frame = decodeAudioFrame(bytes);
        if (frame?.kind === AudioFrameKind.playbackPcm && frame.streamId === this.view.streamId) player.push(pcm16FromBytes(frame.payload));
      }),
      client.onStatus((status) => {
        if (status.state === 'connected' || this.view.session === 'off') return;
        this.generation++;
        this.teardown();
        this.setView({ session: 'off' });
        this.ports.reportError(SOURCE, new ParleyError('unavailable', 'Voice stopped: the connection to the backend was lost', { hint: 'Press Start voice again once the connection is back.' }));
      }),
    ];
  }

  private teardown(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.early = [];
    this.preRoll = [];
    this.pressedOnBackend = false;
    this.acceptingPlayback = false;
    this.capture?.close();
    this.capture = null;
    this.ports.player().stop();
    this.ports.resetMicLevel();
    const { mode, lastTurn, session } = this.view;
    this.setView({ ...initialVoiceView(mode), lastTurn, session: session === 'stopping' ? 'stopping' : 'off' });
  }
}

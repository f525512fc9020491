import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame, MISSING_SPEECH_MODEL, ParleyError, type VoiceMode } from '#protocol';
import { navigateTo } from '../app/navigation';
import { controlClient } from '../connection';
import { reportError, type ErrorRemedy } from '../errors';
import { audioContext } from './audio-context';
import { openChosenMicrophone, type MicrophoneCapture } from './capture';
import { pcm16FromBytes, pcm16ToBytes } from '#audio';
import { stopMicTest } from './mic-test';
import { chosenMicrophoneId } from './microphones';
import { sharedPlayer } from './shared-player';
import { applyVoiceEvent, initialVoiceView, type VoiceEvent } from './voice-view';
import { meterChunk, rememberVoiceMode, resetMicLevel, useVoiceStore } from './voice-store';

const SOURCE = 'Voice';
const VOICE_PANEL_ID = 'voice';
/** People let go of the key as the last word ends: keep sending this long after the release. */
const TALK_TAIL_MS = 150;
/** Audio from just before the press, sent with it so a first syllable spoken with the press is kept. */
const PRE_ROLL_CHUNKS = 3;

let capture: MicrophoneCapture | null = null;
let unsubscribe: Array<() => void> = [];
/** Bumped by every start and stop: async steps of an older session see they are stale. */
let generation = 0;
/** Events that arrived before voice.start answered with the stream id. */
let early: VoiceEvent[] = [];
let preRoll: Int16Array[] = [];
/** The backend has been told push-to-talk is pressed (frames flow until it is told otherwise). */
let pressedOnBackend = false;
/** Press and release run in order, however fast the key is tapped. */
let talkChain: Promise<void> = Promise.resolve();
/** Playback frames are taken between a playback start and stop only. */
let acceptingPlayback = false;

const view = () => useVoiceStore.getState();
const isCurrent = (streamId: number | null) => streamId !== null && view().session === 'on' && view().streamId === streamId;

/** Opens the microphone and a voice stream on the backend for this conversation. Call it from a click. */
export async function startVoice(conversationId: string, mode: VoiceMode = view().mode): Promise<void> {
  if (view().session !== 'off') return;
  const current = ++generation;
  useVoiceStore.setState({ ...initialVoiceView(mode), session: 'starting', conversationId });
  try {
    audioContext(); // now, while the click still counts as a user gesture
    stopMicTest();
    const player = sharedPlayer();
    const preparing = player.prepare();
    preparing.catch(() => undefined); // awaited below; the microphone's failure, if any, is the one to report
    const opened = await openChosenMicrophone(chosenMicrophoneId(), { onChunk, onEnded: onMicrophoneEnded });
    if (current !== generation) return opened.close();
    capture = opened;
    await preparing;
    subscribe();
    const { streamId } = await controlClient.request('voice.start', { conversationId, mode });
    if (current !== generation) {
      controlClient.request('voice.stop', { streamId }).catch(() => undefined);
      return;
    }
    useVoiceStore.setState({ session: 'on', streamId });
    for (const event of early) useVoiceStore.setState((state) => applyVoiceEvent(state, event));
    early = [];
  } catch (error) {
    if (current !== generation) return;
    teardown();
    reportError(SOURCE, error, remedyFor(error));
  }
}

/** No Whisper model yet (the first use of local speech recognition): offer the model manager. */
function remedyFor(error: unknown): ErrorRemedy | undefined {
  const missing = error instanceof ParleyError && (error.details as { missing?: unknown } | undefined)?.missing === MISSING_SPEECH_MODEL;
  return missing ? { label: 'Get a speech model', run: () => navigateTo(VOICE_PANEL_ID) } : undefined;
}

/** Ends the stream and releases the microphone (the system's indicator goes off). */
export async function stopVoice(): Promise<void> {
  const { session, streamId } = view();
  if (session === 'off' || session === 'stopping') return;
  generation++;
  useVoiceStore.setState({ session: 'stopping' });
  teardown();
  if (streamId !== null) {
    await controlClient.request('voice.stop', { streamId }).catch((error: unknown) => {
      if (controlClient.status.state === 'connected') reportError(SOURCE, error);
    });
  }
  if (view().session === 'stopping') useVoiceStore.setState({ session: 'off' });
}

/** Push-to-talk and hands-free open different streams: switching restarts it. */
export async function setVoiceMode(mode: VoiceMode): Promise<void> {
  rememberVoiceMode(mode);
  const { session, conversationId, mode: previous } = view();
  if (mode === previous) return;
  useVoiceStore.setState({ mode });
  if (session === 'on' && conversationId) {
    await stopVoice();
    await startVoice(conversationId, mode);
  }
}

export function setMuted(muted: boolean): void {
  useVoiceStore.setState({ muted });
}

export function pressTalk(): void {
  const { session, mode, talking, streamId } = view();
  if (session !== 'on' || mode !== 'push-to-talk' || talking || streamId === null) return;
  useVoiceStore.setState({ talking: true });
  talkChain = talkChain.then(async () => {
    if (!isCurrent(streamId)) return;
    // The request frame leaves first, then the pre-roll and live frames behind it on the same socket.
    const pressed = controlClient.request('voice.pushToTalk', { streamId, pressed: true });
    pressedOnBackend = true;
    for (const pcm of preRoll) sendChunk(streamId, pcm);
    preRoll = [];
    await pressed.catch((error: unknown) => {
      pressedOnBackend = false;
      useVoiceStore.setState({ talking: false });
      reportError(SOURCE, error);
    });
  });
}

/** For a shortcut that reports presses only (the desktop's global one): each press starts or ends the utterance. */
export function toggleTalk(): void {
  if (view().talking) releaseTalk();
  else pressTalk();
}

export function releaseTalk(): void {
  const { talking, streamId } = view();
  if (!talking) return;
  useVoiceStore.setState({ talking: false });
  talkChain = talkChain.then(async () => {
    if (!pressedOnBackend || !isCurrent(streamId)) return;
    await new Promise((resolve) => setTimeout(resolve, TALK_TAIL_MS));
    await capture?.flush();
    pressedOnBackend = false;
    if (!isCurrent(streamId)) return;
    await controlClient.request('voice.pushToTalk', { streamId: streamId!, pressed: false }).catch((error: unknown) => reportError(SOURCE, error));
  });
}

/** Stops the answer: its audio at once here, and the turn on the backend (the console's own barge-in). */
export function interruptVoice(): void {
  const { streamId } = view();
  acceptingPlayback = false;
  sharedPlayer().stop();
  if (streamId !== null) controlClient.request('voice.interrupt', { streamId }).catch((error: unknown) => reportError(SOURCE, error));
}

/** Reopens the microphone after the user chose another one; the stream goes on. */
export async function reopenMicrophone(): Promise<void> {
  if (!capture) return;
  const current = generation;
  try {
    const next = await openChosenMicrophone(chosenMicrophoneId(), { onChunk, onEnded: onMicrophoneEnded });
    if (current !== generation || !capture) return next.close();
    capture.close();
    capture = next;
  } catch (error) {
    reportError(SOURCE, error);
  }
}

function onChunk(pcm: Int16Array): void {
  meterChunk(pcm);
  const { session, streamId, muted, mode } = view();
  if (session !== 'on' || streamId === null || muted) return;
  if (mode === 'hands-free' || pressedOnBackend) {
    sendChunk(streamId, pcm);
  } else {
    preRoll.push(pcm);
    if (preRoll.length > PRE_ROLL_CHUNKS) preRoll.shift();
  }
}

function sendChunk(streamId: number, pcm: Int16Array): void {
  controlClient.sendBinary(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId, payload: pcm16ToBytes(pcm) }));
}

function onMicrophoneEnded(): void {
  reportError(SOURCE, new ParleyError('unavailable', 'The microphone stopped: it was unplugged or its permission was withdrawn', { hint: 'Check the input in the Voice panel, then press Start voice again.' }));
  void stopVoice();
}

function subscribe(): void {
  const apply = (event: VoiceEvent) => {
    if (view().session === 'starting') early.push(event);
    else useVoiceStore.setState((state) => applyVoiceEvent(state, event));
  };
  const player = sharedPlayer();
  unsubscribe = [
    controlClient.on('voice.state', (data) => apply({ event: 'voice.state', data })),
    controlClient.on('voice.activity', (data) => apply({ event: 'voice.activity', data })),
    controlClient.on('voice.transcript', (data) => apply({ event: 'voice.transcript', data })),
    controlClient.on('voice.turn', (data) => apply({ event: 'voice.turn', data })),
    controlClient.on('voice.error', ({ streamId, error }) => {
      if (streamId === view().streamId) reportError(SOURCE, ParleyError.fromWire(error));
    }),
    controlClient.on('voice.playback', (data) => {
      if (data.streamId !== view().streamId) return;
      if (data.action === 'start') {
        acceptingPlayback = true;
        player.start(data.sampleRate);
        return;
      }
      acceptingPlayback = false;
      // "finished" means every frame was sent: what is queued is the end of the answer, play it.
      if (data.reason === 'finished') player.end();
      else player.stop();
    }),
    controlClient.onBinary((bytes) => {
      if (!acceptingPlayback) return;
      const frame = decodeAudioFrame(bytes);
      if (frame?.kind === AudioFrameKind.playbackPcm && frame.streamId === view().streamId) player.push(pcm16FromBytes(frame.payload));
    }),
    controlClient.onStatus((status) => {
      if (status.state === 'connected' || view().session === 'off') return;
      generation++;
      teardown();
      useVoiceStore.setState({ session: 'off' });
      reportError(SOURCE, new ParleyError('unavailable', 'Voice stopped: the connection to the backend was lost', { hint: 'Press Start voice again once the connection is back.' }));
    }),
  ];
}

function teardown(): void {
  for (const off of unsubscribe) off();
  unsubscribe = [];
  early = [];
  preRoll = [];
  pressedOnBackend = false;
  acceptingPlayback = false;
  capture?.close();
  capture = null;
  sharedPlayer().stop();
  resetMicLevel();
  const { mode, lastTurn, session } = view();
  useVoiceStore.setState({ ...initialVoiceView(mode), lastTurn, session: session === 'stopping' ? 'stopping' : 'off' });
}

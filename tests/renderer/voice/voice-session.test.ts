import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { AudioFrameKind, decodeAudioFrame, type EventData, type EventName } from '#protocol';
import type { ConnectionStatus } from '../../../renderer/src/connection/control-client';
import type { CaptureHandlers } from '../../../renderer/src/voice/capture';
import { VoiceSession, type VoiceSessionPorts } from '../../../renderer/src/voice/voice-session';
import { initialVoiceView, type VoiceView } from '../../../renderer/src/voice/voice-view';

/** The ports of one session: a scripted backend, a microphone the test speaks into, a recording player. */
function harness() {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const sent: Array<{ method: string; params: unknown } | { binary: number }> = [];
  let voiceStartAnswer: (value: unknown) => void = () => undefined;
  let handlers: CaptureHandlers | null = null;
  const microphone = { flush: vi.fn(async () => undefined), close: vi.fn() };
  const player = { prepare: vi.fn(async () => undefined), start: vi.fn(), push: vi.fn(), end: vi.fn(), stop: vi.fn() };
  const reportError = vi.fn();
  const store = createStore<VoiceView>(() => initialVoiceView('push-to-talk'));
  const client: VoiceSessionPorts['client'] = {
    status: { state: 'connected', connectionId: 'c', version: '1', mode: 'server' },
    request: ((method: string, params: unknown) => {
      sent.push({ method, params });
      if (method === 'voice.start') return new Promise((resolve) => (voiceStartAnswer = resolve as (value: unknown) => void));
      return Promise.resolve({});
    }) as VoiceSessionPorts['client']['request'],
    on: ((event: string, listener: (data: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    }) as VoiceSessionPorts['client']['on'],
    onBinary: () => () => true,
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    sendBinary: (bytes) => {
      const frame = decodeAudioFrame(bytes);
      sent.push({ binary: frame?.kind === AudioFrameKind.capturePcm ? frame.payload.byteLength / 2 : -1 });
      return true;
    },
  };
  const session = new VoiceSession({
    client,
    store,
    openMicrophone: async (given) => {
      handlers = given;
      return microphone;
    },
    player: () => player,
    unlockAudio: () => undefined,
    stopMicTest: vi.fn(),
    meterChunk: vi.fn(),
    resetMicLevel: vi.fn(),
    rememberVoiceMode: vi.fn(),
    reportError,
    navigateTo: vi.fn(),
  });
  return {
    session,
    store,
    sent,
    microphone,
    player,
    reportError,
    answerVoiceStart: (streamId: number) => voiceStartAnswer({ streamId }),
    speak: (samples: number) => handlers!.onChunk(new Int16Array(samples)),
    emit: <E extends EventName>(event: E, data: EventData<E>) => listeners.get(event)?.forEach((listener) => listener(data)),
    dropConnection: () => statusListeners.forEach((listener) => listener({ state: 'reconnecting', attempt: 1, retryAt: 0, reason: 'gone' })),
  };
}

async function started(h: ReturnType<typeof harness>, streamId = 7) {
  const starting = h.session.start('conv-1');
  await vi.waitFor(() => expect(h.sent.some((s) => 'method' in s && s.method === 'voice.start')).toBe(true));
  h.answerVoiceStart(streamId);
  await starting;
}

describe('VoiceSession', () => {
  it('opens a stream and applies the events that arrived before voice.start answered', async () => {
    const h = harness();
    const starting = h.session.start('conv-1');
    await vi.waitFor(() => expect(h.store.getState().session).toBe('starting'));
    await vi.waitFor(() => expect(h.sent).toContainEqual({ method: 'voice.start', params: { conversationId: 'conv-1', mode: 'push-to-talk' } }));
    h.emit('voice.state', { streamId: 7, state: 'listening' });
    h.answerVoiceStart(7);
    await starting;
    expect(h.store.getState()).toMatchObject({ session: 'on', streamId: 7, state: 'listening', conversationId: 'conv-1' });
  });

  it('sends the pre-roll behind the push-to-talk press, then live audio until the release', async () => {
    const h = harness();
    await started(h);
    for (let i = 0; i < 5; i++) h.speak(512); // only the last 3 are kept as pre-roll
    expect(h.sent.filter((s) => 'binary' in s)).toHaveLength(0);

    h.session.pressTalk();
    await vi.waitFor(() => expect(h.sent.filter((s) => 'binary' in s)).toHaveLength(3));
    const pressAt = h.sent.findIndex((s) => 'method' in s && s.method === 'voice.pushToTalk');
    expect(h.sent[pressAt]).toEqual({ method: 'voice.pushToTalk', params: { streamId: 7, pressed: true } });
    expect(h.sent.slice(pressAt + 1)).toEqual([{ binary: 512 }, { binary: 512 }, { binary: 512 }]);
    h.speak(512);
    expect(h.sent.at(-1)).toEqual({ binary: 512 });

    h.session.releaseTalk();
    await vi.waitFor(() => expect(h.sent.at(-1)).toEqual({ method: 'voice.pushToTalk', params: { streamId: 7, pressed: false } }), { timeout: 2000 });
    expect(h.microphone.flush).toHaveBeenCalled();
    h.speak(512);
    expect(h.sent.at(-1)).toEqual({ method: 'voice.pushToTalk', params: { streamId: 7, pressed: false } });
  });

  it('sends nothing while muted in hands-free mode', async () => {
    const h = harness();
    h.store.setState({ mode: 'hands-free' });
    await started(h);
    h.speak(512);
    h.session.setMuted(true);
    h.speak(512);
    expect(h.sent.filter((s) => 'binary' in s)).toHaveLength(1);
  });

  it('plays the answer between playback start and stop, and drops it on interrupt', async () => {
    const h = harness();
    await started(h);
    h.emit('voice.playback', { streamId: 7, action: 'start', sampleRate: 22_050 });
    expect(h.player.start).toHaveBeenCalledWith(22_050);
    h.session.interrupt();
    expect(h.player.stop).toHaveBeenCalled();
    expect(h.sent.at(-1)).toEqual({ method: 'voice.interrupt', params: { streamId: 7 } });
  });

  it('ends the session, releases the microphone and says why when the connection is lost', async () => {
    const h = harness();
    await started(h);
    h.dropConnection();
    expect(h.store.getState().session).toBe('off');
    expect(h.microphone.close).toHaveBeenCalled();
    expect(h.reportError).toHaveBeenCalledWith('Voice', expect.objectContaining({ message: 'Voice stopped: the connection to the backend was lost' }));
    // Its listeners went with it: a later event of the old stream changes nothing.
    h.emit('voice.state', { streamId: 7, state: 'speaking' });
    expect(h.store.getState().state).toBe('idle');
  });

  it('stops the stream on the backend and goes off', async () => {
    const h = harness();
    await started(h);
    await h.session.stop();
    expect(h.sent.at(-1)).toEqual({ method: 'voice.stop', params: { streamId: 7 } });
    expect(h.store.getState().session).toBe('off');
  });
});

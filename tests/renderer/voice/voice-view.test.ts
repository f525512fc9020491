import { describe, expect, it } from 'vitest';
import { applyVoiceEvent, initialVoiceView, voiceStatusText, type VoiceView } from '../../../renderer/src/voice/voice-view';
import { formatMs, latencyParts } from '../../../renderer/src/voice/latency';

const on = (patch: Partial<VoiceView> = {}): VoiceView => ({ ...initialVoiceView('hands-free'), session: 'on', streamId: 3, conversationId: 'c1', ...patch });

describe('applyVoiceEvent', () => {
  it('follows the state and activity of its own stream only', () => {
    let view = applyVoiceEvent(on(), { event: 'voice.state', data: { streamId: 3, state: 'listening' } });
    expect(view.state).toBe('listening');
    view = applyVoiceEvent(view, { event: 'voice.activity', data: { streamId: 3, speaking: true } });
    expect(view.userSpeaking).toBe(true);
    const other = applyVoiceEvent(view, { event: 'voice.state', data: { streamId: 4, state: 'speaking' } });
    expect(other).toBe(view);
    expect(applyVoiceEvent(initialVoiceView('hands-free'), { event: 'voice.state', data: { streamId: 3, state: 'speaking' } }).state).toBe('idle');
  });

  it('shows partial transcripts, then the final one, and never lets a late partial overwrite it', () => {
    let view = applyVoiceEvent(on(), { event: 'voice.transcript', data: { streamId: 3, utteranceId: 'u1', text: 'what is', final: false } });
    expect(view.transcript).toEqual({ utteranceId: 'u1', text: 'what is', final: false });
    view = applyVoiceEvent(view, { event: 'voice.transcript', data: { streamId: 3, utteranceId: 'u1', text: 'What is the time?', final: true } });
    const late = applyVoiceEvent(view, { event: 'voice.transcript', data: { streamId: 3, utteranceId: 'u1', text: 'what is the', final: false } });
    expect(late.transcript?.text).toBe('What is the time?');
    const next = applyVoiceEvent(view, { event: 'voice.transcript', data: { streamId: 3, utteranceId: 'u2', text: 'and', final: false } });
    expect(next.transcript).toEqual({ utteranceId: 'u2', text: 'and', final: false });
  });

  it('keeps the last turn timings with what was heard', () => {
    let view = applyVoiceEvent(on(), { event: 'voice.transcript', data: { streamId: 3, utteranceId: 'u1', text: 'Hello', final: true } });
    const latency = { transcribeMs: 420, firstTokenMs: 610, firstAudioMs: 380, totalMs: 1410 };
    view = applyVoiceEvent(view, { event: 'voice.turn', data: { streamId: 3, utteranceId: 'u1', turnId: 't1', latency } });
    expect(view.lastTurn).toEqual({ utteranceId: 'u1', turnId: 't1', transcript: 'Hello', latency });
    view = applyVoiceEvent(view, { event: 'voice.turn', data: { streamId: 3, utteranceId: 'u9', turnId: 't2', latency: { transcribeMs: 1 } } });
    expect(view.lastTurn?.transcript).toBeNull();
  });
});

describe('voiceStatusText', () => {
  it('says what the console is doing, then what the backend is doing', () => {
    expect(voiceStatusText(initialVoiceView('hands-free'))).toBe('Voice off');
    expect(voiceStatusText({ ...initialVoiceView('hands-free'), session: 'starting' })).toBe('Starting voice…');
    expect(voiceStatusText(on({ state: 'listening' }))).toBe('Listening');
    expect(voiceStatusText(on({ state: 'thinking' }))).toBe('Thinking…');
    expect(voiceStatusText(on({ state: 'listening', muted: true }))).toBe('Microphone muted');
    expect(voiceStatusText(on({ state: 'speaking', muted: true }))).toBe('Speaking');
    expect(voiceStatusText(on({ mode: 'push-to-talk' }))).toBe('Hold to talk');
    expect(voiceStatusText(on({ mode: 'push-to-talk', talking: true }))).toBe('Listening');
  });
});

describe('latency breakdown', () => {
  it('lists the timed steps in order and skips the ones the turn did not reach', () => {
    expect(latencyParts({ transcribeMs: 420, firstTokenMs: 610, firstAudioMs: 380, totalMs: 1410 }).map((p) => [p.label, p.ms])).toEqual([
      ['speech→text', 420],
      ['text→token', 610],
      ['token→audio', 380],
    ]);
    expect(latencyParts({ transcribeMs: 300 })).toHaveLength(1);
  });

  it('formats milliseconds compactly', () => {
    expect(formatMs(420.4)).toBe('420 ms');
    expect(formatMs(1410)).toBe('1.41 s');
    expect(formatMs(12_345)).toBe('12.3 s');
  });
});

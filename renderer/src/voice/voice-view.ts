import type { EventData, VoiceLatency, VoiceMode, VoiceState } from '#protocol';

export interface VoiceTurnSummary {
  utteranceId: string;
  turnId: string;
  /** What was heard, when the final transcript arrived before the turn's timings. */
  transcript: string | null;
  latency: VoiceLatency;
}

/** Everything the mic control shows; `session` is the console's side, `state` the backend's. */
export interface VoiceView {
  session: 'off' | 'starting' | 'on' | 'stopping';
  conversationId: string | null;
  streamId: number | null;
  mode: VoiceMode;
  state: VoiceState;
  /** The backend's VAD hears the user. */
  userSpeaking: boolean;
  muted: boolean;
  /** Push-to-talk is held (button, Space or Ctrl+Shift+Space). */
  talking: boolean;
  /** The agent's audio is coming out of the speakers. */
  playing: boolean;
  transcript: { utteranceId: string; text: string; final: boolean } | null;
  lastTurn: VoiceTurnSummary | null;
}

export const initialVoiceView = (mode: VoiceMode): VoiceView => ({
  session: 'off',
  conversationId: null,
  streamId: null,
  mode,
  state: 'idle',
  userSpeaking: false,
  muted: false,
  talking: false,
  playing: false,
  transcript: null,
  lastTurn: null,
});

export type VoiceEvent =
  | { event: 'voice.state'; data: EventData<'voice.state'> }
  | { event: 'voice.activity'; data: EventData<'voice.activity'> }
  | { event: 'voice.transcript'; data: EventData<'voice.transcript'> }
  | { event: 'voice.turn'; data: EventData<'voice.turn'> };

/** Applies a backend event of this console's stream; events of other streams change nothing. */
export function applyVoiceEvent(view: VoiceView, { event, data }: VoiceEvent): VoiceView {
  if (view.streamId === null || data.streamId !== view.streamId) return view;
  switch (event) {
    case 'voice.state':
      return { ...view, state: data.state };
    case 'voice.activity':
      return { ...view, userSpeaking: data.speaking };
    case 'voice.transcript':
      // A new utterance replaces the previous one; a late partial never overwrites its final text.
      if (view.transcript?.utteranceId === data.utteranceId && view.transcript.final && !data.final) return view;
      return { ...view, transcript: { utteranceId: data.utteranceId, text: data.text, final: data.final } };
    case 'voice.turn': {
      const heard = view.transcript?.utteranceId === data.utteranceId && view.transcript.final ? view.transcript.text : null;
      return { ...view, lastTurn: { utteranceId: data.utteranceId, turnId: data.turnId, transcript: heard, latency: data.latency } };
    }
  }
}

export const voiceStateLabels: Record<VoiceState, string> = {
  idle: 'Ready',
  listening: 'Listening',
  transcribing: 'Transcribing…',
  thinking: 'Thinking…',
  speaking: 'Speaking',
};

/** The one line the mic control announces (aria-live): the console's own state first, then the backend's. */
export function voiceStatusText(view: VoiceView): string {
  if (view.session === 'starting') return 'Starting voice…';
  if (view.session === 'stopping') return 'Stopping voice…';
  if (view.session === 'off') return 'Voice off';
  if (view.muted && view.state !== 'speaking' && view.state !== 'thinking') return 'Microphone muted';
  if (view.mode === 'push-to-talk' && view.state === 'idle') return view.talking ? 'Listening' : 'Hold to talk';
  return voiceStateLabels[view.state];
}

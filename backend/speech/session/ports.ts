import type { EventData, EventName } from '#protocol';

/**
 * What a voice session needs from the engines, kept narrow so the session does not depend on
 * which STT, TTS or VAD implementation serves it (adapters in ../engines bind the real ones).
 */
export interface UtteranceTranscription {
  /** 16 kHz mono PCM as the user speaks. */
  push(pcm: Int16Array): void;
  /** End of speech: the final text (empty when nothing intelligible was said). */
  finish(): Promise<string>;
  cancel(): void;
}

export interface SpeechRecognizer {
  /** Partial transcripts arrive through onPartial about once a second while the user speaks. */
  startUtterance(onPartial: (text: string) => void): UtteranceTranscription;
}

export interface SynthesizedAudio {
  pcm: Int16Array;
  sampleRate: number;
}

export interface SpeechSynthesizer {
  synthesize(text: string, signal: AbortSignal): Promise<SynthesizedAudio>;
}

export interface VoiceActivity {
  /**
   * Queues audio for the detector; resolves once it has been analysed (its speech start or end, if
   * any, already reported). The detector may lag behind the socket: hands-free utterances follow
   * its pace, so they hold the audio it heard as speech. Never rejects (failures go to onError).
   */
  push(pcm: Int16Array): Promise<void>;
  onSpeechStart(listener: () => void): void;
  onSpeechEnd(listener: () => void): void;
  /** Ends the speech in progress, if any, once the queued audio is analysed (its end is reported). */
  flush(): void;
  /** Raises the threshold while the agent speaks, so its own voice does not count as the user's. */
  setPlaybackActive(active: boolean): void;
  reset(): void;
}

/** Splits streamed answer text into sentences as soon as each is complete. */
export interface SentenceStream {
  push(text: string): string[];
  flush(): string[];
}

export interface AgentTurnPort {
  /** Rejects (not_found) when the conversation does not exist: checked when a stream opens. */
  checkConversation(conversationId: string): Promise<void>;
  /** Runs a console turn (stored and published like a typed one); text deltas also go to onText. */
  run(conversationId: string, text: string, turnId: string, signal: AbortSignal, onText: (text: string) => void): Promise<void>;
}

/** How the session reaches the console that owns it. */
export interface VoiceOutput {
  event: <E extends EventName>(event: E, data: EventData<E>) => void;
  audio(pcm: Int16Array): void;
}

/** Mono PCM16 at the engine's own rate (22.05 kHz for espeak-ng and most Piper voices, 24 kHz remote). */
export interface SpokenAudio {
  pcm: Int16Array;
  sampleRate: number;
}

/**
 * What the speech capability provides for other capabilities to speak with (WhatsApp's voice-note
 * replies): the Voice panel's engine, voice and speed, and the Ogg Opus codec voice notes use.
 */
export interface SpeechSynthesis {
  /** The text spoken as the voice loop would (Markdown, code and links are not read aloud); rejects when there is nothing to say or the engine fails. */
  synthesize(text: string, signal: AbortSignal): Promise<SpokenAudio>;
  /** Mono audio as an Ogg Opus file (RFC 7845): what WhatsApp plays as a voice note. */
  encodeOggOpus(audio: SpokenAudio, options: { bitrate: number }): Uint8Array;
}

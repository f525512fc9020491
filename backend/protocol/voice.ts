import { z } from 'zod';

/** Capture is 16 kHz mono PCM16 in binary frames (audio-frames.ts); Whisper's native rate. */
export const CAPTURE_SAMPLE_RATE = 16_000;

export const voiceModeSchema = z.enum(['push-to-talk', 'hands-free']);
export type VoiceMode = z.infer<typeof voiceModeSchema>;

/** The one mic control's states, in the order a turn goes through them. */
export const voiceStateSchema = z.enum(['idle', 'listening', 'transcribing', 'thinking', 'speaking']);
export type VoiceState = z.infer<typeof voiceStateSchema>;

export const voiceLatencySchema = z.object({
  /** End of speech → final transcript. */
  transcribeMs: z.number(),
  /** Final transcript → first token of the answer. */
  firstTokenMs: z.number().optional(),
  /** First token → first audio sample sent to the console. */
  firstAudioMs: z.number().optional(),
  /** End of speech → first audio sample out. */
  totalMs: z.number().optional(),
});
export type VoiceLatency = z.infer<typeof voiceLatencySchema>;

export const speechModelKindSchema = z.enum(['whisper', 'piper']);

export const speechModelSchema = z.object({
  id: z.string(),
  kind: speechModelKindSchema,
  name: z.string(),
  sizeBytes: z.number().optional(),
  installed: z.boolean(),
  /** A file the user pointed at instead of a catalogue download. */
  custom: z.boolean().default(false),
  language: z.string().optional(),
});
export type SpeechModel = z.infer<typeof speechModelSchema>;

export const modelDownloadProgressSchema = z.object({
  id: z.string(),
  state: z.enum(['downloading', 'verifying', 'installed', 'failed', 'cancelled']),
  receivedBytes: z.number(),
  totalBytes: z.number().optional(),
  bytesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
  error: z.string().optional(),
});
export type ModelDownloadProgress = z.infer<typeof modelDownloadProgressSchema>;

/**
 * `details.missing` of the error voice.start (or a transcription) fails with when local speech
 * recognition has no model yet: the console offers the download instead of a bare message.
 */
export const MISSING_SPEECH_MODEL = 'whisper-model';

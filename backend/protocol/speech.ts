import { z } from 'zod';
import { modelRefSchema } from './agent';
import { direct, eventSpec, type MethodSpec } from './define';
import { wireErrorSchema } from './errors';
import { topics } from './topics';

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

export const speechMethods = {
  /**
   * Opens a capture stream on this socket: binary capturePcm frames with the returned stream id
   * follow while the user speaks. Hands-free lets voice activity decide where utterances end.
   */
  'voice.start': {
    params: z.object({ conversationId: z.string(), mode: voiceModeSchema }),
    result: z.object({ streamId: z.number().int() }),
  },
  'voice.stop': {
    params: z.object({ streamId: z.number().int() }),
    result: z.object({}),
  },
  /** Push-to-talk: pressed opens an utterance, released ends it (end of speech). */
  'voice.pushToTalk': {
    params: z.object({ streamId: z.number().int(), pressed: z.boolean() }),
    result: z.object({}),
  },
  /** Stops playback and the running turn (the stop button, or the console's own barge-in). */
  'voice.interrupt': {
    params: z.object({ streamId: z.number().int() }),
    result: z.object({}),
  },
  /** Speaks a text with the configured voice (the Voice panel's preview); WAV as base64. */
  'speech.synthesize': {
    params: z.object({ text: z.string().min(1).max(2000) }),
    result: z.object({ wavBase64: z.string(), sampleRate: z.number(), ms: z.number() }),
  },
  'speech.models.list': {
    params: z.object({}),
    result: z.object({ models: z.array(speechModelSchema), downloads: z.array(modelDownloadProgressSchema) }),
  },
  'speech.models.download': {
    params: z.object({ id: z.string() }),
    result: z.object({ started: z.boolean() }),
  },
  'speech.models.cancel': {
    params: z.object({ id: z.string() }),
    result: z.object({ cancelled: z.boolean() }),
  },
  'speech.models.delete': {
    params: z.object({ id: z.string() }),
    result: z.object({ deleted: z.boolean() }),
  },
  'speech.models.registerCustom': {
    params: z.object({ kind: speechModelKindSchema, path: z.string().min(1).max(4096) }),
    result: z.object({ model: speechModelSchema }),
  },
} as const satisfies Record<string, MethodSpec>;

/** A voice stream's events go to the socket that opened it, and to no other. */
export const speechEvents = {
  'voice.state': eventSpec(z.object({ streamId: z.number(), state: voiceStateSchema }), direct),
  /** Voice activity as the backend's VAD hears it. */
  'voice.activity': eventSpec(z.object({ streamId: z.number(), speaking: z.boolean() }), direct),
  'voice.transcript': eventSpec(z.object({ streamId: z.number(), utteranceId: z.string(), text: z.string(), final: z.boolean() }), direct),
  /** Playback of the answer: start announces the rate of the playbackPcm frames that follow; stop means drop what is queued now. */
  'voice.playback': eventSpec(
    z.discriminatedUnion('action', [
      z.object({ streamId: z.number(), action: z.literal('start'), sampleRate: z.number() }),
      z.object({ streamId: z.number(), action: z.literal('stop'), reason: z.enum(['barge-in', 'interrupted', 'finished']) }),
    ]),
    direct,
  ),
  'voice.turn': eventSpec(z.object({ streamId: z.number(), utteranceId: z.string(), turnId: z.string(), latency: voiceLatencySchema }), direct),
  'voice.error': eventSpec(z.object({ streamId: z.number(), error: wireErrorSchema }), direct),
  'speech.models.progress': eventSpec(modelDownloadProgressSchema, () => topics.speechModels),
};

export const speechSettings = {
  'voice.stt.engine': z.enum(['whisper-local', 'remote']).default('whisper-local'),
  /** Installed whisper model id (see speech.models.list); null until one is installed. */
  'voice.stt.model': z.string().nullable().default(null),
  /** 'auto' detects the language per utterance. */
  'voice.stt.language': z.string().max(16).default('auto'),
  /** For the remote engine: an OpenAI-compatible provider and its transcription model. */
  'voice.stt.remote': modelRefSchema.nullable().default(null),
  'voice.tts.engine': z.enum(['espeak', 'piper', 'remote']).default('espeak'),
  'voice.tts.voice': z.string().max(200).default('en-us'),
  'voice.tts.speed': z.number().min(0.5).max(2).default(1),
  'voice.tts.volume': z.number().min(0).max(1).default(1),
  'voice.tts.remote': modelRefSchema.nullable().default(null),
  /** Silence that ends an utterance in hands-free mode (OpenAI Realtime and LiveKit use 500 ms). */
  'voice.vad.silenceMs': z.number().int().min(100).max(3000).default(500),
  /** 0 hears only loud speech, 1 hears whispers; the threshold is raised while the agent speaks. */
  'voice.vad.sensitivity': z.number().min(0).max(1).default(0.5),
};

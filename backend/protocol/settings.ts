import { z } from 'zod';
import { modelRefSchema } from './agent';

/**
 * Every user setting, its schema and its default. Both sides read this: the backend validates
 * writes against it, the renderer renders controls from it. Later capabilities add keys here.
 */
export const settingSchemas = {
  'ui.theme': z.enum(['system', 'light', 'dark']).default('system'),
  'logging.level': z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The chat model per channel; null until the user picks one. */
  'agent.console.model': modelRefSchema.nullable().default(null),
  'agent.whatsapp.model': modelRefSchema.nullable().default(null),
  /** Tried in order when the channel's model fails (5xx, timeout, refused, 429 after retries). */
  'agent.fallbacks': z.array(modelRefSchema).max(10).default([]),
  'agent.console.systemPrompt': z.string().max(20_000).default(''),
  'agent.whatsapp.systemPrompt': z.string().max(20_000).default(''),
  /** Tokens of context a turn may use (prompt + history + tool results), per model. Key: "providerId/model". */
  'agent.contextBudgets': z.record(z.string(), z.number().int().min(512).max(2_000_000)).default({}),
  /** Model round trips a turn may take (each tool round is one). */
  'agent.maxSteps': z.number().int().min(1).max(50).default(8),
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
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const settingKeySchema = z.enum(Object.keys(settingSchemas) as [SettingKey, ...SettingKey[]]);

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingSchemas, key);
}

export function defaultSettings(): Settings {
  const entries = Object.entries(settingSchemas).map(([key, schema]) => [key, schema.parse(undefined)]);
  return Object.fromEntries(entries) as Settings;
}

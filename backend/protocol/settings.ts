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

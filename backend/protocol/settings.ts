import { z } from 'zod';
import { confirmationsSettings } from './confirmations';
import { agentSettings } from './agent';
import { diagnosticsSettings } from './diagnostics';
import { documentsSettings } from './documents';
import { speechSettings } from './speech';
import { whatsappSettings } from './whatsapp';
import { databasesSettings } from './databases';

/** The shell's own settings; each capability's come from its protocol module. */
const shellSettings = {
  'ui.theme': z.enum(['system', 'light', 'dark']).default('system'),
  'logging.level': z.enum(['debug', 'info', 'warn', 'error']).default('info'),
};

/**
 * Every user setting, its schema and its default. Both sides read this: the backend validates
 * writes against it, the renderer renders controls from it. A capability adds its keys by
 * spreading its `<capability>Settings` here.
 */
export const settingSchemas = {
  ...shellSettings,
  ...agentSettings,
  ...diagnosticsSettings,
  ...speechSettings,
  ...confirmationsSettings,
  ...whatsappSettings,
  ...databasesSettings,
  ...documentsSettings,
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

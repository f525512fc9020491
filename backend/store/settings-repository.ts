import type { Knex } from 'knex';
import { defaultSettings, ParleyError, settingSchemas, type SettingKey, type Settings } from '#protocol';

/**
 * How long a read of all settings is reused. Every turn reads them; this process writes them only
 * through `set`, which drops the copy at once. The bound is for another process writing the same
 * store (a second server on a shared database): its changes show here within this time.
 */
const SETTINGS_REUSE_MS = 5_000;

/** User settings, validated against the protocol's schemas on the way in and on the way out. */
export class SettingsRepository {
  private readonly changeListeners = new Set<(key: SettingKey) => void>();
  private cached: { settings: Promise<Settings>; readAt: number } | undefined;

  constructor(private readonly knex: Knex) {}

  /** Capabilities that hold state built from settings (loaded engines, detectors) refresh it here. */
  onChange(listener: (key: SettingKey) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  getAll(): Promise<Settings> {
    const now = Date.now();
    if (!this.cached || now - this.cached.readAt > SETTINGS_REUSE_MS) {
      const settings = this.read();
      this.cached = { settings, readAt: now };
      // A failed read is not kept.
      settings.catch(() => {
        if (this.cached?.settings === settings) this.cached = undefined;
      });
    }
    // A copy: callers may change what they got.
    return this.cached.settings.then((settings) => ({ ...settings }));
  }

  private async read(): Promise<Settings> {
    const settings: Record<string, unknown> = defaultSettings();
    const rows = (await this.knex('settings').select('key', 'value_json')) as Array<{ key: string; value_json: string }>;
    for (const row of rows) {
      const schema = (settingSchemas as Record<string, (typeof settingSchemas)[SettingKey]>)[row.key];
      // A key a newer or older version wrote, or a value that no longer validates, falls back to the default.
      const parsed = schema?.safeParse(parseJsonOrUndefined(row.value_json));
      if (parsed?.success) settings[row.key] = parsed.data;
    }
    return settings as Settings;
  }

  async get<K extends SettingKey>(key: K): Promise<Settings[K]> {
    return (await this.getAll())[key];
  }

  async set<K extends SettingKey>(key: K, value: unknown): Promise<Settings[K]> {
    const parsed = settingSchemas[key].safeParse(value);
    if (!parsed.success) {
      throw new ParleyError('invalid_params', `Invalid value for setting ${key}`, { details: parsed.error.issues });
    }
    await this.knex('settings')
      .insert({ key, value_json: JSON.stringify(parsed.data), updated_at: new Date().toISOString() })
      .onConflict('key')
      .merge();
    this.cached = undefined;
    for (const listener of this.changeListeners) listener(key);
    return parsed.data as Settings[K];
  }
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { defaultSettings, type SettingKey, type Settings, type SettingValue } from '#protocol';
import { controlClient } from '../connection';
import { reportError } from '../errors';
import { queryClient, queryKeys, settingsQuery, useBackendQuery } from '../server-state';

const DEFAULTS = defaultSettings();
const query = settingsQuery(controlClient);

/** Every setting; the defaults until the backend answered (the shell keeps the `settings` topic). */
export function useSettings<T>(select: (settings: Settings) => T): T {
  const { data } = useBackendQuery({ ...query, select });
  return data ?? select(DEFAULTS);
}

export function useSetting<K extends SettingKey>(key: K): SettingValue<K> {
  return useSettings((settings) => settings[key]);
}

/** True once the backend's settings are known (a null model then really means none chosen). */
export function useSettingsLoaded(): boolean {
  return useBackendQuery(query).isSuccess;
}

/** The value now, outside React. */
export function getSetting<K extends SettingKey>(key: K): SettingValue<K> {
  return (queryClient.getQueryData<Settings>(queryKeys.settings) ?? DEFAULTS)[key];
}

/** Shown at once, written to the backend, put back (and the failure reported) when refused. */
export async function changeSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  const previous = getSetting(key);
  const put = (next: SettingValue<K>) => queryClient.setQueryData<Settings>(queryKeys.settings, (settings) => ({ ...(settings ?? DEFAULTS), [key]: next }));
  put(value);
  try {
    await controlClient.request('settings.set', { key, value });
  } catch (error) {
    put(previous);
    reportError('Settings', error);
  }
}

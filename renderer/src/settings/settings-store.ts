import { create } from 'zustand';
import { defaultSettings, type SettingKey, type Settings, type SettingValue } from '#protocol';
import { controlClient } from '../connection';
import { reportError } from '../errors';

interface SettingsState {
  settings: Settings;
  loaded: boolean;
}

export const useSettingsStore = create<SettingsState>(() => ({ settings: defaultSettings(), loaded: false }));

export async function changeSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
  const previous = useSettingsStore.getState().settings[key];
  useSettingsStore.setState((state) => ({ settings: { ...state.settings, [key]: value } }));
  try {
    await controlClient.request('settings.set', { key, value });
  } catch (error) {
    useSettingsStore.setState((state) => ({ settings: { ...state.settings, [key]: previous } }));
    reportError('Settings', error);
  }
}

/** Loads settings on every (re)connect and follows changes made in other windows or tabs. */
export function syncSettingsWithBackend(): () => void {
  const offHello = controlClient.on('system.hello', () => {
    controlClient
      .request('settings.list', {})
      .then(({ settings }) => useSettingsStore.setState({ settings: { ...defaultSettings(), ...settings } as Settings, loaded: true }))
      .catch((error: unknown) => reportError('Settings', error));
  });
  const offChanged = controlClient.on('settings.changed', ({ key, value }) =>
    useSettingsStore.setState((state) => ({ settings: { ...state.settings, [key]: value } })),
  );
  return () => {
    offHello();
    offChanged();
  };
}

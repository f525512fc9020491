import { useEffect } from 'react';
import { useSettingsStore } from '../settings/settings-store';

/** "system" follows the OS through CSS; light and dark override it. */
export function useAppliedTheme(): void {
  const theme = useSettingsStore((state) => state.settings['ui.theme']);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

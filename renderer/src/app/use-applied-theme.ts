import { useEffect } from 'react';
import { useSetting } from '../settings';

/** "system" follows the OS through CSS; light and dark override it. */
export function useAppliedTheme(): void {
  const theme = useSetting('ui.theme');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

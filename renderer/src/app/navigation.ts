import { create } from 'zustand';

interface NavigationState {
  activePanelId: string;
}

/** Which panel is shown; any panel may send the user to another (e.g. "pick a model" → Models). */
export const useNavigationStore = create<NavigationState>(() => ({ activePanelId: '' }));

export function navigateTo(panelId: string): void {
  useNavigationStore.setState({ activePanelId: panelId });
}

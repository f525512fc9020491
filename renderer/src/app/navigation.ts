import { create } from 'zustand';

/** A document to show at a page, with the passage to highlight (a citation in an answer). */
export interface DocumentViewRequest {
  documentId: string;
  page: number;
  /** The cited passage's text (or its first words when the passage itself is not known). */
  passage: string;
}

interface NavigationState {
  activePanelId: string;
  /** Set by `openDocument`, taken by the Documents panel when it shows (it may still be loading). */
  documentRequest: DocumentViewRequest | null;
}

/** Which panel is shown; any panel may send the user to another (e.g. "pick a model" → Models). */
export const useNavigationStore = create<NavigationState>(() => ({ activePanelId: '', documentRequest: null }));

export function navigateTo(panelId: string): void {
  useNavigationStore.setState({ activePanelId: panelId });
}

/** Shows the Documents panel's viewer on a document's page: how a citation in an answer opens its source. */
export function openDocument(request: DocumentViewRequest): void {
  useNavigationStore.setState({ activePanelId: 'documents', documentRequest: { ...request } });
}

/** The Documents panel took the request over (its viewer shows it now). */
export function clearDocumentRequest(): void {
  useNavigationStore.setState({ documentRequest: null });
}

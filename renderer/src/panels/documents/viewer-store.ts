import { create } from 'zustand';

/** What the viewer shows: a document at a page, with words to highlight (a citation's passage or a search). */
export interface ViewerTarget {
  documentId: string;
  page: number;
  highlight: string;
}

interface ViewerState {
  target: ViewerTarget | null;
}

export const useViewerStore = create<ViewerState>(() => ({ target: null }));

export function openInViewer(target: ViewerTarget): void {
  useViewerStore.setState({ target });
}

export function closeViewer(): void {
  useViewerStore.setState({ target: null });
}

/** The words of a passage or query worth highlighting on the page (no one-letter words). */
export function highlightTerms(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []))];
}

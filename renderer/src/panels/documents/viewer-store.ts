import { create } from 'zustand';

/** What the viewer shows: a document at a page, with a passage (a citation, a search hit) or words (find) to highlight. */
export interface ViewerTarget {
  documentId: string;
  page: number;
  /** Words to highlight wherever they are on the page. */
  highlight: string;
  /** A passage to highlight as a whole, where it stands on the page. */
  passage?: string;
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

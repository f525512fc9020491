import { describe, expect, it } from 'vitest';
import { clearDocumentRequest, navigateTo, openDocument, useNavigationStore } from '../../../renderer/src/app/navigation';

describe('navigation to a cited document', () => {
  it('shows the Documents panel with the request, which the panel then takes', () => {
    navigateTo('conversation');
    openDocument({ documentId: 'doc-1', page: 2, passage: 'Every boiler carries a warranty' });
    expect(useNavigationStore.getState()).toEqual({ activePanelId: 'documents', documentRequest: { documentId: 'doc-1', page: 2, passage: 'Every boiler carries a warranty' } });
    // The same citation clicked twice is a new request (the panel's effect runs again).
    const first = useNavigationStore.getState().documentRequest;
    openDocument({ documentId: 'doc-1', page: 2, passage: 'Every boiler carries a warranty' });
    expect(useNavigationStore.getState().documentRequest).not.toBe(first);
    clearDocumentRequest();
    expect(useNavigationStore.getState()).toEqual({ activePanelId: 'documents', documentRequest: null });
  });
});

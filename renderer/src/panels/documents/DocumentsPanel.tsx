import { useEffect, useState } from 'react';
import { clearDocumentRequest, useNavigationStore } from '../../app/navigation';
import { useIsConnected } from '../../connection';
import { libraryTags } from './document-status';
import { DocumentRow } from './DocumentRow';
import { DocumentSearch } from './DocumentSearch';
import { useDocuments } from './documents-store';
import { HybridSearchSettings } from './HybridSearchSettings';
import { OcrLanguageList } from './OcrLanguageList';
import { PdfViewer } from './PdfViewer';
import { UploadZone } from './UploadZone';
import { openInViewer, useViewerStore } from './viewer-store';
import './documents.css';

/** The PDFs the agent answers from: upload, follow their reading, search them, read them at a cited page. */
export function DocumentsPanel() {
  const connected = useIsConnected();
  const documents = useDocuments();
  const target = useViewerStore((state) => state.target);
  const request = useNavigationStore((state) => state.documentRequest);
  const list = documents.data ?? [];
  const viewed = target ? list.find((document) => document.id === target.documentId) : undefined;
  const [notice, setNotice] = useState<string | null>(null);
  const [tagFilter, setTagFilter] = useState('');
  const tags = libraryTags(list);
  const shown = tagFilter && tags.includes(tagFilter) ? list.filter((document) => document.tags.includes(tagFilter)) : list;
  const uploaded = (id: string, duplicate: boolean, fileName: string) => {
    const known = list.find((document) => document.id === id);
    setNotice(duplicate ? `${fileName} is already in the library${known ? ` as “${known.title}”` : ''}; it was not added twice.` : null);
  };

  // A citation clicked in a conversation: show its page with the passage highlighted.
  useEffect(() => {
    if (!request) return;
    openInViewer({ documentId: request.documentId, page: request.page, highlight: '', passage: request.passage });
    clearDocumentRequest();
  }, [request]);

  return (
    <section className="panel documents-panel" aria-labelledby="documents-title">
      <header className="panel-header">
        <h1 id="documents-title">Documents</h1>
      </header>
      {!connected && <p>Connect to the backend to see the documents.</p>}
      <div className="documents-layout">
        <div className="documents-library">
          <UploadZone onUploaded={uploaded} />
          {notice && (
            <p className="hint" role="status">
              {notice}
            </p>
          )}
          {documents.isSuccess && list.length === 0 && <p className="empty-state">No document yet. Price lists, manuals and policies uploaded here become searchable by the agent, which cites the page.</p>}
          {tags.length > 0 && (
            <label className="tag-filter">
              Tag{' '}
              <select value={tagFilter} onChange={(event) => setTagFilter(event.target.value)} aria-label="Show documents with tag">
                <option value="">all documents</option>
                {tags.map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ul className="document-list" aria-label="Documents">
            {shown.map((document) => (
              <DocumentRow key={document.id} document={document} />
            ))}
          </ul>
          <DocumentSearch tag={tags.includes(tagFilter) ? tagFilter : undefined} />
          <HybridSearchSettings />
          <OcrLanguageList />
        </div>
        {target && <PdfViewer target={target} title={viewed?.title ?? 'Document'} />}
      </div>
    </section>
  );
}

import { useState } from 'react';
import { useIsConnected } from '../../connection';
import { DocumentRow } from './DocumentRow';
import { DocumentSearch } from './DocumentSearch';
import { useDocuments } from './documents-store';
import { PdfViewer } from './PdfViewer';
import { UploadZone } from './UploadZone';
import { useViewerStore } from './viewer-store';
import './documents.css';

/** The PDFs the agent answers from: upload, follow their reading, search them, read them at a cited page. */
export function DocumentsPanel() {
  const connected = useIsConnected();
  const documents = useDocuments();
  const target = useViewerStore((state) => state.target);
  const list = documents.data ?? [];
  const viewed = target ? list.find((document) => document.id === target.documentId) : undefined;
  const [notice, setNotice] = useState<string | null>(null);
  const uploaded = (id: string, duplicate: boolean, fileName: string) => {
    const known = list.find((document) => document.id === id);
    setNotice(duplicate ? `${fileName} is already in the library${known ? ` as “${known.title}”` : ''}; it was not added twice.` : null);
  };

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
          <ul className="document-list" aria-label="Documents">
            {list.map((document) => (
              <DocumentRow key={document.id} document={document} />
            ))}
          </ul>
          <DocumentSearch />
        </div>
        {target && <PdfViewer target={target} title={viewed?.title ?? 'Document'} />}
      </div>
    </section>
  );
}

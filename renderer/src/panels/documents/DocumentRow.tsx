import { useState } from 'react';
import type { DocumentRecord } from '#protocol';
import { formatSize, ingestProgress, isWorking, originLabel, statusLabel } from './document-status';
import { useDocumentActions } from './documents-store';
import { openInViewer } from './viewer-store';

/** One document: its state in words, progress while it is read, what went wrong and what to do about it. */
export function DocumentRow({ document }: { document: DocumentRecord }) {
  const actions = useDocumentActions(document.id);
  const [password, setPassword] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const progress = ingestProgress(document);

  return (
    <li className={`document-row status-${document.status}`} data-testid="document-row" data-document-id={document.id}>
      <div className="document-main">
        {renaming === null ? (
          <button type="button" className="document-title" onClick={() => openInViewer({ documentId: document.id, page: 1, highlight: '' })} disabled={document.status !== 'ready'}>
            {document.title}
          </button>
        ) : (
          <form
            className="inline-row"
            onSubmit={(event) => {
              event.preventDefault();
              if (renaming.trim()) actions.rename(renaming.trim());
              setRenaming(null);
            }}
          >
            <input value={renaming} onChange={(event) => setRenaming(event.target.value)} aria-label="New title" maxLength={200} autoFocus />
            <button type="submit">Save</button>
            <button type="button" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        )}
        <span className="document-meta">
          {document.fileName} · {formatSize(document.sizeBytes)} · <span className="document-status">{statusLabel(document)}</span>
          {document.origin && <span className="document-origin"> · {originLabel(document.origin)}</span>}
        </span>
        <div className="document-tags" aria-label={`Tags of ${document.title}`}>
          {document.tags.map((name) => (
            <span key={name} className="tag">
              {name}
              <button type="button" className="tag-remove" onClick={() => actions.removeTag(name)} disabled={actions.busy} aria-label={`Remove tag ${name}`}>
                ×
              </button>
            </span>
          ))}
          <form
            className="tag-add"
            onSubmit={(event) => {
              event.preventDefault();
              if (tag.trim()) actions.addTag(tag.trim());
              setTag('');
            }}
          >
            <input value={tag} onChange={(event) => setTag(event.target.value)} placeholder="add tag" aria-label={`New tag for ${document.title}`} maxLength={40} />
          </form>
        </div>
        {progress !== undefined && <progress max={1} value={progress} aria-label={`Reading ${document.title}`} />}
        <label className="document-access">
          <input type="checkbox" checked={document.whatsappAccess} onChange={(event) => actions.shareWithWhatsapp(event.target.checked)} disabled={actions.busy} /> WhatsApp contacts may search it
        </label>
        {document.error && (
          <p className="document-error" role="status">
            {document.error}
          </p>
        )}
        {document.status === 'needs_password' && (
          <form
            className="inline-row"
            onSubmit={(event) => {
              event.preventDefault();
              actions.unlock(password);
              setPassword('');
            }}
          >
            <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} placeholder="PDF password" aria-label={`Password for ${document.title}`} autoComplete="off" />
            <button type="submit" disabled={!password || actions.busy}>
              Unlock
            </button>
          </form>
        )}
      </div>
      <div className="document-actions">
        {isWorking(document) && (
          <button type="button" onClick={actions.cancel} disabled={actions.busy}>
            Stop
          </button>
        )}
        {renaming === null && (
          <button type="button" onClick={() => setRenaming(document.title)} disabled={actions.busy}>
            Rename
          </button>
        )}
        <button type="button" className="danger" onClick={() => window.confirm(`Delete “${document.title}” and remove it from search?`) && actions.remove()} disabled={actions.busy}>
          Delete
        </button>
      </div>
    </li>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { controlClient, useIsConnected } from '../../connection';
import { openInViewer } from './viewer-store';

/** The same search the agent's search_documents tool runs (within the tag the list is filtered by): passages with document, page and score. */
export function DocumentSearch({ tag }: { tag?: string }) {
  const connected = useIsConnected();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const results = useQuery({
    queryKey: ['documents', 'search', query, tag ?? ''],
    queryFn: async ({ signal }) => (await controlClient.request('documents.search', { query, limit: 10, ...(tag ? { tag } : {}) }, { signal })).passages,
    enabled: connected && query.length > 0,
    meta: { source: 'Documents' },
  });

  return (
    <section className="document-search" aria-labelledby="document-search-title">
      <h2 id="document-search-title">Search{tag ? ` in “${tag}”` : ''}</h2>
      <form
        className="inline-row"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(draft.trim());
        }}
      >
        <input type="search" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="What the agent would look up, e.g. warranty boiler" aria-label="Search the documents" />
        <button type="submit" disabled={!connected || !draft.trim()}>
          Search
        </button>
      </form>
      {results.isFetching && <p className="hint">Searching…</p>}
      {results.isSuccess && results.data.length === 0 && <p className="hint">No passage matches “{query}”.</p>}
      <ol className="passages">
        {results.data?.map((passage, index) => (
          <li key={`${passage.documentId}-${passage.page}-${index}`}>
            <button type="button" className="citation" onClick={() => openInViewer({ documentId: passage.documentId, page: passage.page, highlight: '', passage: passage.text })}>
              {passage.title}, p. {passage.page}
            </button>{' '}
            <span className="hint">
              score {passage.score.toFixed(2)}
              {passage.ocr ? ' · OCR' : ''}
            </span>
            <p className="passage-text">{passage.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

import { useState } from 'react';
import { controlClient, useIsConnected } from '../../connection';
import { providersQuery, useBackendQuery } from '../../server-state';
import { changeSetting, useSetting } from '../../settings';

/**
 * Hybrid search: passages embedded by a provider's `/embeddings` (a job after each document is
 * read), searched by meaning beside BM25 and fused by rank. Off by default: it calls the provider.
 */
export function HybridSearchSettings() {
  const connected = useIsConnected();
  const enabled = useSetting('documents.embeddings.enabled');
  const model = useSetting('documents.embeddings.model');
  const providers = useBackendQuery(providersQuery(controlClient));
  const [draft, setDraft] = useState<string | null>(null);
  const modelName = draft ?? model?.model ?? '';
  const providerId = model?.providerId ?? providers.data?.[0]?.id ?? '';

  return (
    <section className="documents-settings" aria-labelledby="hybrid-search-title">
      <h2 id="hybrid-search-title">Search by meaning</h2>
      <label className="document-access">
        <input type="checkbox" checked={enabled} disabled={!connected || !model} onChange={(event) => void changeSetting('documents.embeddings.enabled', event.target.checked)} /> Hybrid search (embeddings with BM25)
      </label>
      <form
        className="inline-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (providerId && modelName.trim()) void changeSetting('documents.embeddings.model', { providerId, model: modelName.trim() });
          setDraft(null);
        }}
      >
        <select aria-label="Embeddings provider" value={providerId} disabled={!connected || !providers.data?.length} onChange={(event) => modelName.trim() && void changeSetting('documents.embeddings.model', { providerId: event.target.value, model: modelName.trim() })}>
          {providers.data?.map((provider) => (
            <option key={provider.id} value={provider.id}>
              {provider.name}
            </option>
          ))}
        </select>
        <input value={modelName} onChange={(event) => setDraft(event.target.value)} placeholder="text-embedding-3-small" aria-label="Embedding model" />
        <button type="submit" disabled={!connected || !providerId || !modelName.trim()}>
          Use
        </button>
      </form>
      {!providers.data?.length && providers.isSuccess && <p className="hint">Add a provider in Models first; its /embeddings endpoint embeds the passages.</p>}
      <p className="hint">Passages are embedded in the background after a document is read; Diagnostics shows how many are done.</p>
    </section>
  );
}

import { useId, useState } from 'react';
import type { ModelRef, Provider } from '#protocol';
import { useIsConnected } from '../../connection';
import { useProviderModels } from '../../providers';
import { changeSetting, useSetting } from '../../settings';
import { formFromProvider, formToInput } from './provider-form';
import { addFallback, filterModels, MAX_FALLBACKS, sameModelRef } from './model-refs';
import { refreshModels, saveProvider } from './providers-store';

const SHOWN_AT_MOST = 300;

/** The provider's models, listed live and searchable; a model id can also be typed for endpoints that list none. */
export function ModelBrowser({ provider }: { provider: Provider }) {
  const connected = useIsConnected();
  const listing = useProviderModels(provider.id);
  const consoleModel = useSetting('agent.console.model');
  const whatsappModel = useSetting('agent.whatsapp.model');
  const fallbacks = useSetting('agent.fallbacks');
  const [query, setQuery] = useState('');
  const [model, setModel] = useState(provider.defaultModel);
  const groupName = useId();

  // Listed again after a save too (saveProvider resets the listing): the saved URL, key or headers may list other models.
  const models = listing.data ?? [];
  const listingError = listing.error?.message;
  const filtered = filterModels(models, query);
  const ref: ModelRef | null = model.trim() ? { providerId: provider.id, model: model.trim() } : null;
  const inFallbacks = !!ref && fallbacks.some((item) => sameModelRef(item, ref));

  const setDefault = () => {
    const checked = formToInput({ ...formFromProvider(provider), defaultModel: model.trim() }, []);
    if ('input' in checked) void saveProvider(checked.input);
  };

  return (
    <section className="model-browser" aria-labelledby="model-browser-title">
      <div className="section-header">
        <h3 id="model-browser-title">Models on {provider.name}</h3>
        <button type="button" className="small" onClick={() => void refreshModels(provider.id)} disabled={!connected || listing.isFetching}>
          {listing.isFetching ? 'Listing…' : 'Refresh list'}
        </button>
      </div>
      {listingError && (
        <p className="hint">
          Could not list models ({listingError}). Type the model id below if this endpoint does not list its models.
        </p>
      )}
      {models.length > 0 && (
        <>
          <label className="visually-hidden" htmlFor="model-search">
            Search models
          </label>
          <input id="model-search" type="search" placeholder={`Search ${models.length} models…`} value={query} onChange={(event) => setQuery(event.target.value)} />
          <fieldset className="model-list">
            <legend className="visually-hidden">Models</legend>
            {filtered.length === 0 && <p className="hint">No model matches "{query}".</p>}
            {filtered.slice(0, SHOWN_AT_MOST).map((id) => (
              <label key={id} className="model-option">
                <input type="radio" name={groupName} value={id} checked={model === id} onChange={() => setModel(id)} />
                <span className="model-id">{id}</span>
                <ModelBadges refFor={{ providerId: provider.id, model: id }} consoleModel={consoleModel} whatsappModel={whatsappModel} fallbacks={fallbacks} isDefault={provider.defaultModel === id} />
              </label>
            ))}
            {filtered.length > SHOWN_AT_MOST && <p className="hint">{filtered.length - SHOWN_AT_MOST} more: narrow the search.</p>}
          </fieldset>
        </>
      )}
      {listing.isSuccess && !listing.isFetching && models.length === 0 && <p className="hint">This endpoint lists no models: type the model id below.</p>}
      <div className="inline-row model-actions">
        <label htmlFor="model-id">Model id</label>
        <input id="model-id" value={model} placeholder="e.g. gpt-4o-mini" onChange={(event) => setModel(event.target.value)} />
      </div>
      <div className="inline-row model-actions">
        <button type="button" onClick={() => ref && void changeSetting('agent.console.model', ref)} disabled={!ref || sameModelRef(ref, consoleModel)}>
          Use for Console
        </button>
        <button type="button" onClick={() => ref && void changeSetting('agent.whatsapp.model', ref)} disabled={!ref || sameModelRef(ref, whatsappModel)}>
          Use for WhatsApp
        </button>
        <button type="button" onClick={() => ref && void changeSetting('agent.fallbacks', [...addFallback(fallbacks, ref)])} disabled={!ref || inFallbacks || fallbacks.length >= MAX_FALLBACKS}>
          {inFallbacks ? 'In fallbacks' : 'Add to fallbacks'}
        </button>
        <button type="button" onClick={setDefault} disabled={!connected || !ref || provider.defaultModel === ref.model}>
          Set as default model
        </button>
      </div>
    </section>
  );
}

interface BadgeProps {
  refFor: ModelRef;
  consoleModel: ModelRef | null;
  whatsappModel: ModelRef | null;
  fallbacks: ModelRef[];
  isDefault: boolean;
}

function ModelBadges({ refFor, consoleModel, whatsappModel, fallbacks, isDefault }: BadgeProps) {
  const fallbackIndex = fallbacks.findIndex((item) => sameModelRef(item, refFor));
  return (
    <span className="model-badges">
      {isDefault && <span className="badge">default</span>}
      {sameModelRef(refFor, consoleModel) && <span className="badge badge-ok">Console</span>}
      {sameModelRef(refFor, whatsappModel) && <span className="badge badge-ok">WhatsApp</span>}
      {fallbackIndex >= 0 && <span className="badge">fallback {fallbackIndex + 1}</span>}
    </span>
  );
}

import { useState } from 'react';
import type { ProviderKind } from '#protocol';
import { useIsConnected } from '../../connection';
import { useProviders } from '../../providers';
import { LocalServers } from './LocalServers';
import { presetFor, providerPresets } from './provider-presets';
import { selectProvider, useProviderSelection } from './providers-store';

/** The saved providers, adding one from a preset, and finding local servers. */
export function ProviderSidebar() {
  const connected = useIsConnected();
  const query = useProviders();
  const providers = query.data ?? [];
  const { selection } = useProviderSelection();
  const [preset, setPreset] = useState<ProviderKind>('openai');

  return (
    <aside className="provider-sidebar" aria-labelledby="providers-title">
      <h2 id="providers-title">Providers</h2>
      {query.isPending && query.fetchStatus === 'fetching' && <p className="hint">Loading…</p>}
      {query.isSuccess && providers.length === 0 && selection?.kind !== 'new' && (
        <p className="empty-state small">No provider yet. Add one from a preset below, or detect a local server.</p>
      )}
      <ul className="provider-list">
        {providers.map((provider) => {
          const current = selection?.kind === 'existing' && selection.id === provider.id;
          return (
            <li key={provider.id}>
              <button type="button" aria-current={current ? 'true' : undefined} onClick={() => selectProvider({ kind: 'existing', id: provider.id })}>
                <span className="provider-name">{provider.name}</span>
                <span className="provider-sub">
                  {provider.id} · {provider.hasApiKey ? 'key stored' : 'no key'}
                </span>
              </button>
            </li>
          );
        })}
        {selection?.kind === 'new' && (
          <li>
            <button type="button" aria-current="true">
              <span className="provider-name">New {presetFor(selection.preset).name} provider</span>
              <span className="provider-sub">not saved yet</span>
            </button>
          </li>
        )}
      </ul>
      <div className="add-provider">
        <label htmlFor="provider-preset">Add a provider</label>
        <div className="inline-row">
          <select id="provider-preset" value={preset} onChange={(event) => setPreset(event.target.value as ProviderKind)}>
            {providerPresets.map((item) => (
              <option key={item.kind} value={item.kind}>
                {item.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => selectProvider({ kind: 'new', preset })} disabled={!connected}>
            Add
          </button>
        </div>
      </div>
      <LocalServers />
    </aside>
  );
}

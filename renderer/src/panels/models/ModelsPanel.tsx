import { useIsConnected } from '../../connection';
import { queryKeys, useReloadOnShow } from '../../server-state';
import { ChannelCard } from './ChannelCard';
import { ContextBudgets } from './ContextBudgets';
import { FallbackList } from './FallbackList';
import { MaxStepsField } from './MaxStepsField';
import { ProviderEditor } from './ProviderEditor';
import { ProviderSidebar } from './ProviderSidebar';
import { useProviderSelection } from './providers-store';

/** LLM providers (presets, keys, tests, live model lists) and which model serves each channel. */
export function ModelsPanel() {
  const connected = useIsConnected();
  const { selection, provider } = useProviderSelection();
  // Another window may have changed them while this panel was not shown.
  useReloadOnShow(queryKeys.providers);

  return (
    <section className="panel models-panel" aria-labelledby="models-title">
      <header className="panel-header">
        <h1 id="models-title">Models</h1>
      </header>
      {!connected && <p className="empty-state">Connecting to the backend… providers appear once it answers.</p>}
      <div className="models-layout">
        <ProviderSidebar />
        <div className="models-main">
          {selection?.kind === 'new' && <ProviderEditor key={`new-${selection.preset}`} preset={selection.preset} />}
          {provider && <ProviderEditor key={provider.id} provider={provider} />}
          {!selection && <p className="empty-state">Choose a provider on the left, or add one from a preset.</p>}
        </div>
      </div>
      <h2 className="section-title">Channels</h2>
      <div className="channel-grid">
        <ChannelCard channel="console" />
        <ChannelCard channel="whatsapp" />
        <FallbackList />
        <ContextBudgets />
        <MaxStepsField />
      </div>
    </section>
  );
}

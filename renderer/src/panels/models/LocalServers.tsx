import { useIsConnected } from '../../connection';
import { useProviders } from '../../providers';
import { uniqueProviderId } from './provider-form';
import { presetFor } from './provider-presets';
import { saveProvider, useLocalServerDetection, type LocalServer } from './providers-store';

/** Probes Ollama and LM Studio on this machine and offers to add what answers. */
export function LocalServers() {
  const connected = useIsConnected();
  const providers = useProviders().data ?? [];
  const { detected, detecting, detect } = useLocalServerDetection();

  const add = (server: LocalServer) => {
    const name = presetFor(server.kind).name;
    void saveProvider({
      id: uniqueProviderId(name, providers.map((p) => p.id)),
      kind: server.kind,
      name,
      baseUrl: server.baseUrl,
      defaultModel: server.models[0] ?? '',
    });
  };

  return (
    <div className="local-servers">
      <button type="button" onClick={detect} disabled={!connected || detecting}>
        {detecting ? 'Detecting…' : 'Detect local servers'}
      </button>
      {detected && detected.length === 0 && <p className="hint">No Ollama (port 11434) or LM Studio (port 1234) server answered on this machine.</p>}
      {detected && detected.length > 0 && (
        <ul className="detected-list" aria-label="Local servers found">
          {detected.map((server) => {
            const added = providers.some((p) => p.baseUrl.replace(/\/+$/, '') === server.baseUrl.replace(/\/+$/, ''));
            return (
              <li key={server.baseUrl}>
                <div>
                  <strong>{presetFor(server.kind).name}</strong> <code>{server.baseUrl}</code>
                  <div className="hint">
                    {server.models.length} model{server.models.length === 1 ? '' : 's'}
                    {server.models.length > 0 && `: ${server.models.slice(0, 3).join(', ')}${server.models.length > 3 ? '…' : ''}`}
                  </div>
                </div>
                <button type="button" className="small" onClick={() => add(server)} disabled={added}>
                  {added ? 'Added' : 'Add'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

import type { HttpSource } from '#protocol';
import { requestOrReport } from './actions-queries';

/** The imported APIs, each removable with its tools and sealed credentials. */
export function HttpSources({ sources, toolCounts }: { sources: HttpSource[]; toolCounts: Map<string, number> }) {
  if (!sources.length) return null;
  return (
    <ul className="detected-list" aria-label="Imported APIs">
      {sources.map((source) => (
        <li key={source.id} className="card">
          <strong>{source.title}</strong> <span className="model-id">{source.baseUrl}</span>
          <div className="hint">
            {toolCounts.get(source.title) ?? 0} tool(s) · auth {source.auth.kind}
            {source.auth.name ? ` (${source.auth.in} ${source.auth.name})` : ''} · timeout {source.timeoutMs / 1000} s · cap {Math.round(source.maxResponseBytes / 1024)} KB
          </div>
          <button type="button" onClick={() => void requestOrReport('Actions', 'actions.removeSource', { id: source.id })}>
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

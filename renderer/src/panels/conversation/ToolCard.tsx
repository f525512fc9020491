import { createElement } from 'react';
import { formatMs, prettyJson } from './format';
import type { ToolExchange } from './message-groups';
import { toolViewFor } from './tool-views/registry';

/**
 * One tool call of an answer: collapsed to its name and outcome, open for arguments and result.
 * A tool with a view (a database query: its rows and a chart) shows it beside the card.
 */
export function ToolCard({ tool }: { tool: ToolExchange }) {
  const { call, result } = tool;
  const state = !result ? 'running' : result.ok ? 'ok' : 'failed';
  const View = result?.ok ? toolViewFor(call.name) : undefined;
  return (
    <>
      <details className={`tool-card tool-${state}`} data-testid="tool-card">
        <summary>
          <span className="tool-name">{call.name}</span>
          <span className={`badge tool-state-${state}`}>{state === 'running' ? 'running…' : state}</span>
          {result && <span className="tool-ms">{formatMs(result.ms)}</span>}
        </summary>
        <div className="tool-body">
          <h4>Arguments</h4>
          <pre>{prettyJson(call.arguments)}</pre>
          {result && (
            <>
              <h4>Result</h4>
              <pre>{prettyJson(result.content)}</pre>
            </>
          )}
        </div>
      </details>
      {/* The registry's views are module-level components, the same one for a tool on every render. */}
      {View && result && createElement(View, { call, result })}
    </>
  );
}

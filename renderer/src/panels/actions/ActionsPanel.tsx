import { ConfirmationCards, usePendingConfirmations } from '../../confirmations';
import { useIsConnected } from '../../connection';
import { useActionsState } from './actions-queries';
import { AuditLog } from './AuditLog';
import { HttpSources } from './HttpSources';
import { McpServers } from './McpServers';
import { OpenApiImport } from './OpenApiImport';
import { ToolPolicies } from './ToolPolicies';

/** What the agent may do through the business's own systems: approvals first, then tools, sources, servers and the audit. */
export function ActionsPanel() {
  const connected = useIsConnected();
  const { list, audit } = useActionsState();
  const pending = usePendingConfirmations();
  const toolCounts = new Map<string, number>();
  for (const tool of list?.tools ?? []) if (tool.kind === 'http') toolCounts.set(tool.source, (toolCounts.get(tool.source) ?? 0) + 1);
  return (
    <section className="panel" aria-labelledby="actions-title">
      <header className="panel-header">
        <h1 id="actions-title">Actions</h1>
      </header>
      {!connected && <p>Connect to the backend to manage actions.</p>}
      <ConfirmationCards confirmations={pending} title="Waiting for approval" />
      <h2>Tools</h2>
      <ToolPolicies tools={list?.tools ?? []} />
      <OpenApiImport />
      <HttpSources sources={list?.sources ?? []} toolCounts={toolCounts} />
      <McpServers servers={list?.mcpServers ?? []} />
      <AuditLog entries={audit} />
    </section>
  );
}

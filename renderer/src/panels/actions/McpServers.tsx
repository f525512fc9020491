import { useState } from 'react';
import type { McpServerConfig, McpServerSummary } from '#protocol';
import { useIsConnected } from '../../connection';
import { requestOrReport } from './actions-queries';
import { parseMcpServersJson, parsePairs, splitCommandLine } from './mcp-servers-json';

/** The MCP servers with their state, and the two ways to add one: a form, or the `mcpServers` JSON. */
export function McpServers({ servers }: { servers: McpServerSummary[] }) {
  return (
    <section className="card" aria-labelledby="mcp-title">
      <h2 id="mcp-title">MCP servers</h2>
      {servers.length === 0 && <p className="hint">None yet.</p>}
      <ul className="detected-list" aria-label="MCP servers">
        {servers.map((server) => (
          <McpServerRow key={server.name} server={server} />
        ))}
      </ul>
      <AddMcpServer />
    </section>
  );
}

function McpServerRow({ server }: { server: McpServerSummary }) {
  const state = server.state === 'ready' ? `ready with ${server.tools.length} tool(s)` : server.state;
  return (
    <li data-testid={`mcp-${server.name}`}>
      <strong>{server.name}</strong> <span className={`badge ${server.state === 'ready' ? 'badge-ok' : 'badge-degraded'}`}>{state}</span>{' '}
      <span className="hint">
        {server.transport} · <code>{server.target}</code>
        {server.origin === 'config' ? ' · from PARLEY_MCP_CONFIG' : ''}
        {server.restarts ? ` · restarted ${server.restarts}×` : ''}
        {server.nextRestartAt ? ` · next try ${new Date(server.nextRestartAt).toLocaleTimeString()}` : ''}
      </span>
      {server.error && <p className="field-error">{server.error}</p>}
      {server.state !== 'ready' && server.stderrTail.length > 0 && <pre className="log">{server.stderrTail.join('\n')}</pre>}
      <span className="row-actions">
        <button type="button" onClick={() => void requestOrReport('MCP server', 'actions.mcp.restart', { name: server.name })}>
          Restart
        </button>
        {server.origin === 'user' && (
          <button type="button" onClick={() => void requestOrReport('MCP server', 'actions.mcp.remove', { name: server.name })}>
            Remove
          </button>
        )}
      </span>
    </li>
  );
}

function AddMcpServer() {
  const connected = useIsConnected();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'stdio' | 'http'>('stdio');
  const [commandLine, setCommandLine] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);

  const addOne = async () => {
    const [command, ...args] = splitCommandLine(commandLine);
    const config: McpServerConfig = kind === 'stdio' ? { command: command ?? '', args, env: parsePairs(env, '=') } : { url: url.trim(), headers: parsePairs(headers, ':') };
    if (await requestOrReport('MCP server', 'actions.mcp.add', { name: name.trim(), config })) {
      setName('');
      setEnv('');
      setHeaders('');
    }
  };

  const addFromJson = async () => {
    const parsed = parseMcpServersJson(json);
    if (!parsed.ok) return setJsonError(parsed.error);
    setJsonError(null);
    for (const server of parsed.servers) await requestOrReport(`MCP server ${server.name}`, 'actions.mcp.add', server);
    setJson('');
  };

  return (
    <details>
      <summary>Add a server</summary>
      <div className="form-grid">
        <label htmlFor="mcp-name">Name</label>
        <input id="mcp-name" value={name} placeholder="orders" onChange={(event) => setName(event.target.value)} />
        <label htmlFor="mcp-kind">Transport</label>
        <select id="mcp-kind" value={kind} onChange={(event) => setKind(event.target.value as 'stdio' | 'http')}>
          <option value="stdio">stdio (a command)</option>
          <option value="http">Streamable HTTP (SSE fallback)</option>
        </select>
        {kind === 'stdio' ? (
          <>
            <label htmlFor="mcp-command">Command</label>
            <input id="mcp-command" value={commandLine} placeholder="npx -y @modelcontextprotocol/server-filesystem /data" onChange={(event) => setCommandLine(event.target.value)} />
            <label htmlFor="mcp-env">Env (KEY=value per line, sealed)</label>
            <textarea id="mcp-env" rows={2} value={env} onChange={(event) => setEnv(event.target.value)} />
          </>
        ) : (
          <>
            <label htmlFor="mcp-url">URL</label>
            <input id="mcp-url" value={url} placeholder="https://mcp.example.com/mcp" onChange={(event) => setUrl(event.target.value)} />
            <label htmlFor="mcp-headers">Headers (Name: value per line, sealed)</label>
            <textarea id="mcp-headers" rows={2} value={headers} onChange={(event) => setHeaders(event.target.value)} />
          </>
        )}
      </div>
      <div className="form-actions">
        <button type="button" disabled={!connected || !name.trim() || (kind === 'stdio' ? !commandLine.trim() : !url.trim())} onClick={() => void addOne()}>
          Add server
        </button>
      </div>
      <label htmlFor="mcp-json">Or paste an mcpServers JSON (Claude Desktop, Cursor, VS Code)</label>
      <textarea id="mcp-json" rows={4} value={json} placeholder='{ "mcpServers": { "orders": { "command": "node", "args": ["server.js"] } } }' onChange={(event) => setJson(event.target.value)} />
      {jsonError && <p className="field-error">{jsonError}</p>}
      <div className="form-actions">
        <button type="button" disabled={!connected || !json.trim()} onClick={() => void addFromJson()}>
          Add from JSON
        </button>
      </div>
    </details>
  );
}

import { useState } from 'react';
import type { HttpAuth, OpenApiOperation } from '#protocol';
import { useIsConnected } from '../../connection';
import { requestOrReport } from './actions-queries';

/** Where `npm run demo:booking` serves the demo garage API's document. */
export const DEMO_BOOKING_URL = 'http://127.0.0.1:4010/openapi.json';

type AuthKind = HttpAuth['kind'];

/** Import an OpenAPI document by URL, file or pasted JSON/YAML: read it, pick operations, give the base URL and auth, import. */
export function OpenApiImport() {
  const connected = useIsConnected();
  const [url, setUrl] = useState('');
  const [pasted, setPasted] = useState('');
  const [operations, setOperations] = useState<OpenApiOperation[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [baseUrl, setBaseUrl] = useState('');
  const [authKind, setAuthKind] = useState<AuthKind>('none');
  const [secret, setSecret] = useState('');
  const [keyName, setKeyName] = useState('X-API-Key');
  const [keyIn, setKeyIn] = useState<'header' | 'query'>('header');
  const [username, setUsername] = useState('');
  const [timeoutSeconds, setTimeoutSeconds] = useState(15);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const source = () => (url.trim() ? { url: url.trim() } : { document: pasted });
  const auth = (): HttpAuth => {
    if (authKind === 'bearer') return { kind: 'bearer', token: secret };
    if (authKind === 'apiKey') return { kind: 'apiKey', in: keyIn, name: keyName, value: secret };
    if (authKind === 'basic') return { kind: 'basic', username, password: secret };
    return { kind: 'none' };
  };

  const inspect = async () => {
    setBusy(true);
    setDone(null);
    const result = await requestOrReport('Import OpenAPI', 'actions.inspectOpenApi', source());
    setBusy(false);
    if (!result) return;
    setOperations(result.operations);
    setBaseUrl(result.baseUrl ?? '');
    // Reads are picked by default; changes are for the operator to choose.
    setPicked(new Set(result.operations.filter((operation) => operation.readOnly).slice(0, 100).map((operation) => operation.tool)));
  };

  const runImport = async (params: Parameters<typeof requestOrReport<'actions.importOpenApi'>>[2]) => {
    setBusy(true);
    const result = await requestOrReport('Import OpenAPI', 'actions.importOpenApi', params);
    setBusy(false);
    if (!result) return;
    setDone(`Imported ${result.tools.length} tool(s) from ${result.source.title}.`);
    setOperations(null);
    setSecret('');
  };

  const toggle = (tool: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(tool);
    else next.delete(tool);
    setPicked(next);
  };

  return (
    <section className="card" aria-labelledby="openapi-title">
      <div className="section-header">
        <h2 id="openapi-title">Import an HTTP API (OpenAPI)</h2>
        <button type="button" disabled={!connected || busy} onClick={() => void runImport({ url: DEMO_BOOKING_URL })} title="Start it first: npm run demo:booking">
          Import demo booking API
        </button>
      </div>
      <div className="form-grid">
        <label htmlFor="openapi-url">Document URL</label>
        <input id="openapi-url" value={url} placeholder="https://api.example.com/openapi.json" onChange={(event) => setUrl(event.target.value)} />
        <label htmlFor="openapi-file">or open a file</label>
        <input
          id="openapi-file"
          type="file"
          accept=".json,.yaml,.yml,application/json,application/yaml"
          disabled={Boolean(url.trim())}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void file.text().then(setPasted);
          }}
        />
        <label htmlFor="openapi-paste">or paste JSON or YAML</label>
        <textarea id="openapi-paste" rows={3} value={pasted} disabled={Boolean(url.trim())} onChange={(event) => setPasted(event.target.value)} />
      </div>
      <div className="form-actions">
        <button type="button" disabled={!connected || busy || (!url.trim() && !pasted.trim())} onClick={() => void inspect()}>
          {busy ? 'Reading…' : 'Read operations'}
        </button>
      </div>
      {done && (
        <p role="status" className="hint">
          {done}
        </p>
      )}
      {operations && (
        <>
          <p className="hint">
            {operations.length} operation(s); {picked.size} picked (at most 100).
          </p>
          <ul className="model-list" aria-label="Operations">
            {operations.map((operation) => (
              <li key={operation.tool} className="model-option">
                <input type="checkbox" id={`op-${operation.tool}`} checked={picked.has(operation.tool)} onChange={(event) => toggle(operation.tool, event.target.checked)} />
                <label htmlFor={`op-${operation.tool}`} className="model-id">
                  {operation.method} {operation.path} → {operation.tool}
                </label>
                <span className="hint">{operation.summary}</span>
              </li>
            ))}
          </ul>
          <div className="form-grid">
            <label htmlFor="openapi-base">Base URL</label>
            <input id="openapi-base" value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} />
            <label htmlFor="openapi-auth">Auth</label>
            <select id="openapi-auth" value={authKind} onChange={(event) => setAuthKind(event.target.value as AuthKind)}>
              <option value="none">none</option>
              <option value="bearer">bearer token</option>
              <option value="apiKey">API key</option>
              <option value="basic">basic</option>
            </select>
            {authKind === 'apiKey' && (
              <>
                <label htmlFor="openapi-key-name">Key name</label>
                <div className="inline-row">
                  <input id="openapi-key-name" value={keyName} onChange={(event) => setKeyName(event.target.value)} />
                  <select aria-label="Key goes in" value={keyIn} onChange={(event) => setKeyIn(event.target.value as 'header' | 'query')}>
                    <option value="header">header</option>
                    <option value="query">query</option>
                  </select>
                </div>
              </>
            )}
            {authKind === 'basic' && (
              <>
                <label htmlFor="openapi-user">Username</label>
                <input id="openapi-user" value={username} onChange={(event) => setUsername(event.target.value)} />
              </>
            )}
            {authKind !== 'none' && (
              <>
                <label htmlFor="openapi-secret">{authKind === 'basic' ? 'Password' : authKind === 'bearer' ? 'Token' : 'Key'}</label>
                <input id="openapi-secret" type="password" autoComplete="off" value={secret} onChange={(event) => setSecret(event.target.value)} />
              </>
            )}
            <label htmlFor="openapi-timeout">Timeout (s)</label>
            <input id="openapi-timeout" className="narrow" type="number" min={1} max={300} value={timeoutSeconds} onChange={(event) => setTimeoutSeconds(Number(event.target.value))} />
          </div>
          <div className="form-actions">
            <button
              type="button"
              disabled={!connected || busy || picked.size === 0 || picked.size > 100}
              onClick={() =>
                void runImport({ ...source(), operations: [...picked], ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}), auth: auth(), timeoutMs: Math.round(timeoutSeconds * 1000) })
              }
            >
              Import {picked.size} operation(s)
            </button>
          </div>
        </>
      )}
    </section>
  );
}

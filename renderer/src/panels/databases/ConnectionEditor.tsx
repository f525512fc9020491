import { useState } from 'react';
import { ParleyError, type DatabaseConnection, type DatabaseDialect, type ResultOf } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import type { SaveConnectionParams } from './databases-queries';

interface Props {
  /** undefined: a new connection. */
  connection: DatabaseConnection | undefined;
  onSaved(name: string): void;
  onRemoved(): void;
}

const DEFAULT_PORTS: Record<DatabaseDialect, string> = { sqlite: '', postgres: '5432', mysql: '3306', mssql: '1433', oracle: '1521' };

interface Form {
  name: string;
  dialect: DatabaseDialect;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  filename: string;
  ssl: boolean;
  verifyCertificate: boolean;
  allowWrites: boolean;
}

function formOf(connection: DatabaseConnection | undefined): Form {
  return {
    name: connection?.name ?? '',
    dialect: connection?.dialect ?? 'postgres',
    host: connection?.host ?? '127.0.0.1',
    port: connection?.port?.toString() ?? '',
    database: connection?.database ?? '',
    user: connection?.user ?? '',
    password: '',
    filename: connection?.filename ?? '',
    ssl: connection?.ssl?.enabled ?? false,
    verifyCertificate: connection?.ssl?.rejectUnauthorized ?? true,
    allowWrites: connection?.allowWrites ?? false,
  };
}

function settingsOf(form: Form) {
  const writes = form.allowWrites ? { allowWrites: true } : {};
  if (form.dialect === 'sqlite') return { dialect: form.dialect, filename: form.filename.trim(), ...writes };
  return {
    ...writes,
    dialect: form.dialect,
    host: form.host.trim(),
    port: form.port ? Number(form.port) : undefined,
    database: form.database.trim() || undefined,
    user: form.user.trim() || undefined,
    ssl: form.ssl ? { enabled: true, rejectUnauthorized: form.verifyCertificate } : undefined,
  };
}

/** Add or edit a connection, test it with the backend's diagnosis, remove it. Env connections are shown read-only. */
export function ConnectionEditor({ connection, onSaved, onRemoved }: Props) {
  const connected = useIsConnected();
  const [form, setForm] = useState<Form>(() => formOf(connection));
  const [test, setTest] = useState<ResultOf<'databases.test'> | 'running' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const readOnly = connection?.source === 'env';
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((current) => ({ ...current, [key]: value }));

  const runTest = async () => {
    setTest('running');
    try {
      const params = connection && !form.password && !readOnly ? { name: connection.name } : { ...settingsOf(form), ...(form.password ? { password: form.password } : {}) };
      setTest(await controlClient.request('databases.test', readOnly ? { name: connection.name } : params));
    } catch (error) {
      setTest(null);
      reportError('Database test', error);
    }
  };

  const save = async () => {
    setProblem(null);
    const params: SaveConnectionParams = { name: form.name.trim(), ...settingsOf(form), ...(form.password ? { password: form.password } : {}) };
    try {
      const { connection: saved } = await controlClient.request('databases.save', params);
      onSaved(saved.name);
    } catch (error) {
      if (error instanceof ParleyError && error.code === 'invalid_params') setProblem(error.message);
      else reportError('Saving the connection', error);
    }
  };

  const remove = async () => {
    if (!connection || !window.confirm(`Remove the connection "${connection.name}"? The agent loses its tools for it.`)) return;
    try {
      await controlClient.request('databases.remove', { name: connection.name });
      onRemoved();
    } catch (error) {
      reportError('Removing the connection', error);
    }
  };

  return (
    <section className="card" aria-labelledby="connection-editor-title">
      <h2 id="connection-editor-title">{connection ? `Connection ${connection.name}` : 'New connection'}</h2>
      {readOnly && <p className="hint">Configured by PARLEY_DB_{connection.name.toUpperCase()}_URL: change the variable and restart to edit it.</p>}
      <p className="hint">Use a read-only database account (PostgreSQL: a role with only SELECT; MySQL: SELECT grants; SQL Server: db_datareader). Parley refuses writes itself too.</p>
      <fieldset disabled={readOnly} className="form-grid">
        <label htmlFor="db-name">Name</label>
        <input id="db-name" value={form.name} disabled={connection !== undefined} placeholder="sales" onChange={(event) => set('name', event.target.value.toLowerCase())} />
        <label htmlFor="db-dialect">Type</label>
        <select id="db-dialect" value={form.dialect} onChange={(event) => set('dialect', event.target.value as DatabaseDialect)}>
          <option value="postgres">PostgreSQL</option>
          <option value="mysql">MySQL / MariaDB</option>
          <option value="sqlite">SQLite</option>
          <option value="mssql">SQL Server</option>
          <option value="oracle">Oracle</option>
        </select>
        {form.dialect === 'sqlite' ? (
          <>
            <label htmlFor="db-file">Database file</label>
            <input id="db-file" value={form.filename} placeholder="/path/to/shop.sqlite3" onChange={(event) => set('filename', event.target.value)} />
          </>
        ) : (
          <>
            <label htmlFor="db-host">Host</label>
            <input id="db-host" value={form.host} onChange={(event) => set('host', event.target.value)} />
            <label htmlFor="db-port">Port</label>
            <input id="db-port" inputMode="numeric" value={form.port} placeholder={DEFAULT_PORTS[form.dialect]} onChange={(event) => set('port', event.target.value.replace(/\D/g, ''))} />
            <label htmlFor="db-database">{form.dialect === 'oracle' ? 'Service name' : 'Database'}</label>
            <input id="db-database" value={form.database} onChange={(event) => set('database', event.target.value)} />
            <label htmlFor="db-user">User</label>
            <input id="db-user" value={form.user} autoComplete="off" onChange={(event) => set('user', event.target.value)} />
            <label htmlFor="db-password">Password</label>
            <input
              id="db-password"
              type="password"
              autoComplete="new-password"
              value={form.password}
              placeholder={connection?.hasPassword ? 'stored (encrypted); type to replace' : ''}
              onChange={(event) => set('password', event.target.value)}
            />
            <label htmlFor="db-ssl">TLS</label>
            <span className="inline-row">
              <input id="db-ssl" type="checkbox" checked={form.ssl} onChange={(event) => set('ssl', event.target.checked)} />
              <label>
                <input type="checkbox" checked={form.verifyCertificate} disabled={!form.ssl} onChange={(event) => set('verifyCertificate', event.target.checked)} /> verify the certificate
              </label>
            </span>
          </>
        )}
        <label htmlFor="db-allow-writes">Writes</label>
        <span>
          <span className="inline-row">
            <input id="db-allow-writes" type="checkbox" checked={form.allowWrites} onChange={(event) => set('allowWrites', event.target.checked)} />
            <label htmlFor="db-allow-writes">Allow the agent to write (one INSERT, UPDATE or DELETE at a time)</label>
          </span>
          <span className="hint">
            Off by default. When on, each write waits for your approval in the conversation and runs in a transaction; schema changes are still refused, WhatsApp contacts and the API never write, and the query box stays read-only. The database account must be allowed to write.
          </span>
        </span>
      </fieldset>
      {problem && <p className="field-error">{problem}</p>}
      <div className="form-actions">
        {!readOnly && (
          <button type="button" onClick={() => void save()} disabled={!connected || !form.name}>
            Save
          </button>
        )}
        <button type="button" onClick={() => void runTest()} disabled={!connected || test === 'running'}>
          {test === 'running' ? 'Testing…' : 'Test'}
        </button>
        {connection && !readOnly && (
          <button type="button" onClick={() => void remove()} disabled={!connected}>
            Remove
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {test && test !== 'running' && (
          <div className={`diagnosis ${test.ok ? 'diagnosis-ok' : 'diagnosis-bad'}`} data-testid="database-test">
            <span className={`badge ${test.ok ? 'badge-ok' : 'badge-degraded'}`}>{test.ok ? 'OK' : 'failed'}</span> {test.message}
            {test.hint && <div className="hint">{test.hint}</div>}
          </div>
        )}
      </div>
    </section>
  );
}

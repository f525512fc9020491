import { useEffect, useState } from 'react';
import { useIsConnected } from '../../connection';
import { takeOpenQueryRequest, useOpenQueryRequest } from '../../query-results/open-in-databases';
import { ConnectionEditor } from './ConnectionEditor';
import { ConnectionList } from './ConnectionList';
import { useConnections } from './databases-queries';
import { QueryBox } from './QueryBox';
import { QueryHistoryList } from './QueryHistoryList';
import { SchemaBrowser } from './SchemaBrowser';
import './databases.css';

/** Connections, their schema, a read-only query box with a table and a chart, and the query history. */
export function DatabasesPanel() {
  const connected = useIsConnected();
  const connections = useConnections();
  // A query an "Open in Databases" link under an answer brought: the panel mounts anew for it
  // (panels unmount when hidden), selects its connection, and runs it once.
  const [opened] = useState(() => useOpenQueryRequest.getState().request);
  useEffect(() => {
    if (opened) takeOpenQueryRequest(opened.id);
  }, [opened]);
  const [selected, setSelected] = useState<string | null>(opened?.connection ?? null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [sqlByConnection, setSqlByConnection] = useState<Record<string, string>>(() => (opened ? { [opened.connection]: opened.sql } : {}));
  const [runRequest, setRunRequest] = useState(() => (opened ? { id: opened.id, connection: opened.connection } : null));

  const list = connections.data ?? [];
  const current = adding ? undefined : (list.find((connection) => connection.name === selected) ?? list[0]);
  const sql = current ? (sqlByConnection[current.name] ?? '') : '';
  const setSql = (text: string) => current && setSqlByConnection((all) => ({ ...all, [current.name]: text }));

  return (
    <section className="panel" aria-labelledby="databases-title">
      <header className="panel-header">
        <h1 id="databases-title">Databases</h1>
      </header>
      {!connected && <p>Connect to the backend to see the databases.</p>}
      {connections.error && <p className="field-error">{connections.error.message}</p>}
      <div className="db-layout">
        <ConnectionList
          connections={list}
          selected={current?.name ?? null}
          onSelect={(name) => {
            setAdding(false);
            setEditing(false);
            setSelected(name);
          }}
          onAdd={() => setAdding(true)}
        />
        <div className="db-main">
          {adding && (
            <ConnectionEditor
              key="new"
              connection={undefined}
              onSaved={(name) => {
                setAdding(false);
                setSelected(name);
              }}
              onRemoved={() => setAdding(false)}
            />
          )}
          {current && (
            <>
              <div className="section-header">
                <h2>{current.name}</h2>
                <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
                  {editing ? 'Close settings' : 'Settings & test'}
                </button>
              </div>
              {editing && (
                <ConnectionEditor
                  key={current.name}
                  connection={current}
                  onSaved={() => setEditing(false)}
                  onRemoved={() => {
                    setEditing(false);
                    setSelected(null);
                  }}
                />
              )}
              <SchemaBrowser key={`schema-${current.name}`} connection={current.name} onPickTable={(table) => setSql(`SELECT * FROM ${table} LIMIT 100`)} />
              <QueryBox
                key={`query-${current.name}`}
                connection={current.name}
                sql={sql}
                onSqlChange={setSql}
                runRequest={runRequest?.connection === current.name ? runRequest.id : undefined}
                onRunRequestTaken={() => setRunRequest(null)}
              />
              <QueryHistoryList connection={current.name} onReuse={setSql} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}

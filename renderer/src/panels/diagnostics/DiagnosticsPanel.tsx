import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { controlClient, useIsConnected } from '../../connection';
import { healthQuery, queryKeys, recentLogsQuery, roundTripQuery, systemInfoQuery, useBackendQuery, type LogEntry } from '../../server-state';
import { JobQueueCard } from './JobQueueCard';

const LOG_LINES = 100;

/** What is running, whether each component can serve, how fast the socket answers, and the recent log. */
export function DiagnosticsPanel() {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  // A snapshot taken each time the panel is shown (staleTime 0) and on Refresh.
  const roundTripMs = useBackendQuery(roundTripQuery(controlClient)).data ?? null;
  const info = useBackendQuery(systemInfoQuery(controlClient)).data;
  const health = useBackendQuery(healthQuery(controlClient)).data;
  const logs = useBackendQuery(recentLogsQuery(controlClient, LOG_LINES)).data ?? [];
  const loading = useIsFetching({ queryKey: queryKeys.diagnostics }) > 0;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.diagnostics });

  return (
    <section className="panel" aria-labelledby="diagnostics-title">
      <header className="panel-header">
        <h1 id="diagnostics-title">Diagnostics</h1>
        <button type="button" onClick={refresh} disabled={!connected || loading}>
          Refresh
        </button>
      </header>
      {!connected && <p>Connect to the backend to see its state.</p>}
      {connected && !info && loading && <p className="hint">Loading…</p>}
      {info && (
        <dl className="facts">
          <dt>Backend</dt>
          <dd>
            {info.name} {info.version} ({info.mode} mode), pid {info.pid}, {info.node}
          </dd>
          <dt>Data folder</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
          <dt>Uptime</dt>
          <dd>{formatDuration(info.uptimeSeconds)}</dd>
          <dt>Socket round trip</dt>
          <dd data-testid="round-trip">{roundTripMs === null ? '–' : `${roundTripMs.toFixed(1)} ms`}</dd>
        </dl>
      )}
      {health && (
        <>
          <h2>
            Components <span className={`badge badge-${health.status}`}>{health.status}</span>
          </h2>
          <table className="components">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">State</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(health.components).map(([name, component]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>
                    <span className={`badge badge-${component.ready ? 'ok' : 'degraded'}`}>{component.ready ? 'ready' : 'not ready'}</span>
                  </td>
                  <td>{component.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {connected && <JobQueueCard />}
      <h2>Recent log</h2>
      <ol className="log" aria-label="Recent log entries">
        {[...logs].reverse().map((entry, index) => (
          <li key={`${entry.time}-${index}`} className={`log-${entry.level}`}>
            <time>{new Date(entry.time).toLocaleTimeString()}</time> <span className="level">{entry.level}</span> {entry.msg}{' '}
            <span className="fields">{summariseFields(entry)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The few fields that say what a line is about, e.g. "method=system.ping status=200". */
function summariseFields(entry: LogEntry): string {
  return Object.entries(entry.fields)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 5)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

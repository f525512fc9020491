import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { topics } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { queryKeys, roundTripQuery, systemInfoQuery, useBackendQuery, useTopic } from '../../server-state';
import { BundleButton } from './BundleButton';
import { HealthCard } from './HealthCard';
import { JobQueueCard } from './JobQueueCard';
import { LogViewer } from './LogViewer';
import { MetricsCharts } from './MetricsCharts';
import { ReplayCard } from './ReplayCard';
import './diagnostics.css';

/** What is running, whether each part can serve, how fast each stage is, the log, and replays. */
export function DiagnosticsPanel() {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  // Stored metrics and replay progress arrive on this topic while the panel shows.
  useTopic(topics.diagnostics);
  // A snapshot taken each time the panel is shown (staleTime 0) and on Refresh.
  const roundTripMs = useBackendQuery(roundTripQuery(controlClient)).data ?? null;
  const info = useBackendQuery(systemInfoQuery(controlClient)).data;
  const loading = useIsFetching({ queryKey: queryKeys.diagnostics }) > 0;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.diagnostics });

  return (
    <section className="panel diagnostics-panel" aria-labelledby="diagnostics-title">
      <header className="panel-header">
        <h1 id="diagnostics-title">Diagnostics</h1>
        <div className="inline-row">
          <BundleButton />
          <button type="button" onClick={refresh} disabled={!connected || loading}>
            Refresh
          </button>
        </div>
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
      {connected && (
        <>
          <HealthCard />
          <MetricsCharts />
          <JobQueueCard />
          <ReplayCard />
          <LogViewer />
        </>
      )}
    </section>
  );
}

function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

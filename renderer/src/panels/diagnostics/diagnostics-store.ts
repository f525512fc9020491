import { create } from 'zustand';
import type { HealthReport, ResultOf } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';

export type SystemInfo = ResultOf<'system.info'>;
export type LogEntry = ResultOf<'diagnostics.recentLogs'>['entries'][number];

interface DiagnosticsState {
  info: SystemInfo | null;
  health: HealthReport | null;
  logs: LogEntry[];
  roundTripMs: number | null;
  loading: boolean;
}

export const useDiagnosticsStore = create<DiagnosticsState>(() => ({ info: null, health: null, logs: [], roundTripMs: null, loading: false }));

export async function refreshDiagnostics(): Promise<void> {
  useDiagnosticsStore.setState({ loading: true });
  try {
    const started = performance.now();
    await controlClient.request('system.ping', {});
    const roundTripMs = performance.now() - started;
    const [info, health, recent] = await Promise.all([
      controlClient.request('system.info', {}),
      controlClient.request('diagnostics.health', {}),
      controlClient.request('diagnostics.recentLogs', { limit: 100 }),
    ]);
    useDiagnosticsStore.setState({ info, health, logs: recent.entries, roundTripMs });
  } catch (error) {
    reportError('Diagnostics', error);
  } finally {
    useDiagnosticsStore.setState({ loading: false });
  }
}

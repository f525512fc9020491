import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useShallow } from 'zustand/react/shallow';
import { topics, type DiagnosticsStatus } from '#protocol';
import { controlClient, useIsConnected } from '../connection';
import { useBackendEvent, useBackendQuery, useTopic } from '../server-state';
import { useVoiceStore } from '../voice/voice-store';
import { agentStatus } from './agent-status';
import { navigateTo } from './navigation';
import './status-indicator.css';

const statusKey = ['status'] as const;
const statusQuery = queryOptions({
  queryKey: statusKey,
  queryFn: ({ signal }) => controlClient.request('diagnostics.status', {}, { signal }),
  meta: { source: 'Status' },
});

/** The agent's state at a glance, with a red dot while a component is in trouble; a click opens Diagnostics. */
export function StatusIndicator() {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  // Held for the whole session, like settings: the indicator is always shown.
  useTopic(topics.diagnosticsStatus);
  const backend = useBackendQuery(statusQuery).data;
  useBackendEvent('diagnostics.status.changed', (status) => queryClient.setQueryData<DiagnosticsStatus>(statusKey, status));
  // Only what the indicator reads: transcripts and levels change often and must not re-render the shell.
  const voice = useVoiceStore(useShallow(({ session, state, talking, mode }) => ({ session, state, talking, mode })));
  if (!connected) return null;
  const status = agentStatus(voice, backend);
  const trouble = status.unhealthy.length;
  const troubleText = trouble === 0 ? '' : `${trouble} component${trouble === 1 ? '' : 's'} in trouble: ${status.unhealthy.map((entry) => entry.component).join(', ')}`;
  return (
    <button
      type="button"
      className={`agent-status agent-status-${status.state}`}
      onClick={() => navigateTo('diagnostics')}
      title={[`Agent: ${status.label}`, troubleText, 'Open Diagnostics (Alt+8)'].filter(Boolean).join('\n')}
      aria-label={`Agent: ${status.label}.${trouble ? ` ${troubleText}.` : ''} Open Diagnostics`}
      data-testid="agent-status"
      data-state={status.state}
    >
      <span className="agent-status-light" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {status.label}
      </span>
      {trouble > 0 && <span className="trouble-dot" data-testid="trouble-dot" aria-hidden="true" />}
    </button>
  );
}

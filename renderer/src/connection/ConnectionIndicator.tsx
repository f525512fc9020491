import { useEffect, useState } from 'react';
import { controlClient, useConnectionStatus, type ConnectionStatus } from './index';

export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const now = useNow(status.state === 'reconnecting');
  return (
    <div className={`connection connection-${status.state}`} role="status" aria-live="polite" data-testid="connection-indicator">
      <span className="dot" aria-hidden="true" />
      <span>{describe(status, now)}</span>
      {status.state === 'reconnecting' && (
        <button type="button" onClick={() => controlClient.retryNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}

function describe(status: ConnectionStatus, now: number): string {
  switch (status.state) {
    case 'connected':
      return `Connected (${status.mode}, v${status.version})`;
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Disconnected: ${status.reason}. Retrying in ${Math.max(0, Math.ceil((status.retryAt - now) / 1000))} s`;
    case 'unauthorized':
      return 'Not authorised';
    case 'idle':
      return 'Offline';
  }
}

function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

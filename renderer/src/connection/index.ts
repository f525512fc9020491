import { useSyncExternalStore } from 'react';
import { ControlClient, NO_TOKEN_REASON, type ConnectionStatus } from './control-client';
import { forgetWebConsoleToken, resolveEndpoint } from './endpoint';

export { ControlClient, NO_TOKEN_REASON, type ConnectionStatus } from './control-client';
export { isDesktopApp, rememberWebConsoleToken, captureTokenFromLocation } from './endpoint';
/** The backend's URL and token, for HTTP routes the socket does not carry (uploads, files the viewer opens). */
export { resolveEndpoint as backendEndpoint } from './endpoint';

/** The console's one connection to the backend. */
export const controlClient = new ControlClient({ resolveEndpoint });

/** Connects (the shell calls it once, from an effect); the returned function disconnects. */
export function connectToBackend(): () => void {
  const offStatus = controlClient.onStatus((status) => {
    // A refused token is dropped so that a reload asks for a new one instead of failing again.
    if (status.state === 'unauthorized' && status.reason !== NO_TOKEN_REASON) forgetWebConsoleToken();
  });
  controlClient.start();
  return () => {
    offStatus();
    controlClient.stop();
  };
}

const subscribeToStatus = (onChange: () => void) => controlClient.onStatus(onChange);
const currentStatus = () => controlClient.status;

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(subscribeToStatus, currentStatus);
}

export function useIsConnected(): boolean {
  return useConnectionStatus().state === 'connected';
}

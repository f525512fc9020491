import { create } from 'zustand';
import { ControlClient, NO_TOKEN_REASON, type ConnectionStatus } from './control-client';
import { forgetWebConsoleToken, resolveEndpoint } from './endpoint';

export { ControlClient, NO_TOKEN_REASON, type ConnectionStatus } from './control-client';
export { isDesktopApp, rememberWebConsoleToken, captureTokenFromLocation } from './endpoint';

/** The console's one connection to the backend. */
export const controlClient = new ControlClient({ resolveEndpoint });

interface ConnectionState {
  status: ConnectionStatus;
}

export const useConnectionStore = create<ConnectionState>(() => ({ status: controlClient.status }));
controlClient.onStatus((status) => {
  // A refused token is dropped so that a reload asks for a new one instead of failing again.
  if (status.state === 'unauthorized' && status.reason !== NO_TOKEN_REASON) forgetWebConsoleToken();
  useConnectionStore.setState({ status });
});

export function useIsConnected(): boolean {
  return useConnectionStore((state) => state.status.state === 'connected');
}

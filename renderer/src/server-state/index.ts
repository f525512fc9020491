import { controlClient } from '../connection';
import { reportError } from '../errors';
import { createQueryClient } from './query-client';

export { queryKeys } from './query-keys';
export * from './queries';
export { connectServerState, withDownloadProgress } from './server-events';
export { useTopic, useBackendEvent, useBackendQuery, useReloadOnShow } from './hooks';

/** The console's one cache of server state (lists and details the backend owns). */
export const queryClient = createQueryClient({ reportError, isConnected: () => controlClient.status.state === 'connected' });

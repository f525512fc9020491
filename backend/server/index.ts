/** The transports: the control API (HTTP + socket, loopback, token), the public listener, and their configuration. */
export { readBackendConfig, defaultDataDir, DEFAULT_PORT, DEFAULT_MAX_JSON_BYTES, DEFAULT_WEBHOOK_HOST, DEFAULT_WEBHOOK_PORT, type BackendConfig, type BackendMode } from './config';
export { ControlSocketServer, SOCKET_PATH, type ControlSocketOptions } from './control-socket';
export { RpcDispatcher, type RpcOutcome, type AnyMethodHandler } from './rpc-dispatcher';
export { createControlRequestListener, RPC_PATH_PREFIX, HEALTH_PATH } from './control-http';
export { createPublicRequestListener } from './public-http';
export { listenPublic } from './public-listener';
export { SigningKeyRing } from './public-thread/signing-key-ring';
export { webhookSpoolMigrations, WEBHOOK_SPOOL_TABLE } from './public-thread/spool-migrations';
export { listenHttp, type RunningListener } from './listen';
export { CONSOLE_CSP } from './static-files';
export { PARLEY_VERSION, PARLEY_NAME } from './version';

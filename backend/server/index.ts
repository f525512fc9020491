/** The transports: the control API (HTTP + socket, loopback, token), the public listener, and their configuration. */
export { readBackendConfig, defaultDataDir, DEFAULT_PORT, DEFAULT_MAX_JSON_BYTES, DEFAULT_WEBHOOK_HOST, DEFAULT_WEBHOOK_PORT, type BackendConfig, type BackendMode } from './config';
export { ControlSocketServer, SOCKET_PATH, type ControlSocketOptions } from './control-socket';
export { RpcDispatcher, type RpcOutcome, type AnyMethodHandler } from './rpc-dispatcher';
export { createControlRequestListener, RPC_PATH_PREFIX, HEALTH_PATH } from './control-http';
export { createPublicRequestListener } from './public-http';
export { listenHttp, type RunningListener } from './listen';
export { CONSOLE_CSP } from './static-files';
export { PARLEY_NAME, PARLEY_VERSION } from './version';

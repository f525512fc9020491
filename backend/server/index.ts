export { startBackend, type RunningBackend } from './start-backend';
export { readBackendConfig, defaultDataDir, DEFAULT_PORT, DEFAULT_MAX_JSON_BYTES, type BackendConfig } from './config';
export { parseRequestBody, type HttpRoute, type HttpRouteContext } from './http-routes';
export { SOCKET_PATH } from './control-socket';
export { RPC_PATH_PREFIX } from './control-http';
export { CONSOLE_CSP } from './static-files';

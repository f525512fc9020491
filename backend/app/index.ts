/** The composition root: the only module that knows every capability. */
export { startBackend, type RunningBackend, type StartBackendOptions } from './start-backend';
export { productCapabilities } from './capabilities';

export { createBackendLogging, type BackendLogging, type Logger } from './logger';
export { RecentLogBuffer, type RecentLogEntry } from './recent-log-buffer';
export { BackendMetrics } from './metrics';
export { HealthRegistry, type HealthCheck } from './health-registry';
export { diagnosticsHandlers } from './handlers';

/** Logs, metrics and health: what every capability reports through (the Diagnostics capability shows it). */
export { createBackendLogging, type BackendLogging, type Logger } from './logger';
export { RecentLogBuffer, type RecentLogEntry } from './recent-log-buffer';
export { BackendMetrics, type Stage, type StageOutcome, type StageListener } from './metrics';
export { HealthRegistry, type HealthCheck, type HealthGroupCheck, type HealthResult } from './health-registry';

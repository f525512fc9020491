import type { MethodHandlers } from '#protocol';
import type { HealthRegistry } from './health-registry';
import type { RecentLogBuffer } from './recent-log-buffer';

export function diagnosticsHandlers(
  health: HealthRegistry,
  recentLogs: RecentLogBuffer,
): MethodHandlers<'diagnostics.health' | 'diagnostics.recentLogs'> {
  return {
    'diagnostics.health': () => health.report(),
    'diagnostics.recentLogs': ({ limit }) => ({ entries: recentLogs.latest(limit) }),
  };
}

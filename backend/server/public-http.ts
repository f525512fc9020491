import type { HttpRoute } from '../platform/http';
import type { BackendMetrics, HealthRegistry, Logger } from '../platform/observability';
import { healthRoute } from './control-http';
import { createRouteListener } from './route-listener';

export interface PublicHttpOptions {
  /** Capabilities' public routes (webhooks); each checks its own credentials. */
  routes: readonly HttpRoute[];
  maxJsonBytes: number;
  health: HealthRegistry;
  metrics: BackendMetrics;
  logger: Logger;
}

/**
 * The internet-facing listener (PARLEY_WEBHOOK_HOST/PORT): only routes a capability marked
 * public, plus /healthz. Nothing of the control API, its socket or the console is reachable here,
 * whatever the path: everything else is 404.
 */
export function createPublicRequestListener(options: PublicHttpOptions) {
  return createRouteListener({
    listener: 'public',
    routes: [healthRoute(options.health, 'public'), ...options.routes],
    maxJsonBytes: options.maxJsonBytes,
    authorize: () => {},
    metrics: options.metrics,
    logger: options.logger,
  });
}

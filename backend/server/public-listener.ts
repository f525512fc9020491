import type { Knex } from 'knex';
import type { HttpRoute, SpooledWebhook } from '../platform/http';
import type { BackendMetrics, HealthRegistry, Logger } from '../platform/observability';
import type { BackendConfig } from './config';
import { listenHttp, type RunningListener } from './listen';
import { createPublicRequestListener } from './public-http';
import { startPublicThread } from './public-thread/public-thread';
import type { SigningKeyRing } from './public-thread/signing-key-ring';

export interface PublicListenerOptions {
  config: BackendConfig;
  /** Capabilities' public routes (the verification GET, /healthz...), served on this thread. */
  routes: HttpRoute[];
  /** Capabilities' webhooks, taken in on the listener's own thread. */
  webhooks: SpooledWebhook[];
  keys: SigningKeyRing;
  knex: Knex;
  databaseFile: string;
  health: HealthRegistry;
  metrics: BackendMetrics;
  logger: Logger;
}

/**
 * The internet-facing listener (PARLEY_WEBHOOK_HOST/PORT). Its port belongs to a thread of its own
 * that answers webhook deliveries once they are spooled; the other public routes are served here,
 * on a loopback port only that thread forwards to. When its port is taken, the console and agent
 * still work: the failure shows in health and the log instead of stopping the backend. Resolves to
 * the listener's base URL, or undefined when it could not listen.
 */
export async function listenPublic(options: PublicListenerOptions, listeners: RunningListener[]): Promise<string | undefined> {
  const { config, health, logger } = options;
  try {
    const routesHere = await listenHttp({
      host: '127.0.0.1',
      port: 0,
      serve: createPublicRequestListener({ routes: options.routes, maxJsonBytes: config.maxJsonBytes, health, metrics: options.metrics, logger }),
    });
    listeners.push(routesHere);
    const thread = await startPublicThread({
      host: config.webhookHost,
      port: config.webhookPort,
      databaseFile: options.databaseFile,
      knex: options.knex,
      webhooks: options.webhooks,
      keys: options.keys,
      forwardPort: routesHere.port,
      logger,
    });
    listeners.push(thread);
    const url = `http://${config.webhookHost.includes(':') ? `[${config.webhookHost}]` : config.webhookHost}:${thread.port}`;
    const detail = `${url}: ${options.webhooks.length} webhook(s), ${options.routes.length} other public route(s)`;
    health.register('public-listener', () => {
      const failure = thread.failure();
      return failure ? { ready: false, detail: `${failure}; restart the backend` } : { ready: true, detail };
    });
    return url;
  } catch (error) {
    const reason = `cannot listen on ${config.webhookHost}:${config.webhookPort}: ${(error as Error).message}`;
    logger.error({ err: error }, `public listener ${reason}; webhooks will not arrive (set PARLEY_WEBHOOK_PORT)`);
    health.register('public-listener', () => ({ ready: false, detail: `${reason}; set PARLEY_WEBHOOK_HOST / PARLEY_WEBHOOK_PORT` }));
    return undefined;
  }
}

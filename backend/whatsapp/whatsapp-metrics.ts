import { Counter, Histogram } from 'prom-client';
import type { BackendMetrics } from '../platform/observability';
import type { WebhookObserver } from './inbound/webhook-receiver';

/** parley_whatsapp_webhooks_total{outcome} and the time from request to stored delivery. */
export function whatsappMetrics(metrics: BackendMetrics): WebhookObserver {
  const webhooks = new Counter({
    name: 'parley_whatsapp_webhooks_total',
    help: 'WhatsApp webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  const storeSeconds = new Histogram({
    name: 'parley_whatsapp_webhook_store_seconds',
    help: 'Time from a verified WhatsApp delivery to its durable record, before the 200',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [metrics.registry],
  });
  return {
    onWebhook(outcome, ms) {
      webhooks.inc({ outcome });
      if (outcome === 'accepted') storeSeconds.observe(ms / 1000);
    },
  };
}

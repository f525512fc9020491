import { Counter } from 'prom-client';
import type { BackendMetrics } from '../platform/observability';
import type { WebhookObserver } from './inbound/webhook-receiver';

/**
 * parley_whatsapp_webhooks_total{outcome}, and each accepted delivery's time to its durable record
 * (the ACK) as the shared stage histogram parley_stage_duration_seconds{stage="whatsapp_ack"}.
 */
export function whatsappMetrics(metrics: BackendMetrics): WebhookObserver {
  const webhooks = new Counter({
    name: 'parley_whatsapp_webhooks_total',
    help: 'WhatsApp webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  return {
    onWebhook(outcome, ms) {
      webhooks.inc({ outcome });
      if (outcome === 'accepted') metrics.observeStage('whatsapp_ack', ms);
    },
  };
}

import { Counter } from 'prom-client';
import type { BackendMetrics } from '../platform/observability';
import type { WebhookObserver } from './inbound/webhook-receiver';

/**
 * parley_whatsapp_webhooks_total{outcome}; on the shared stage histogram parley_stage_duration_seconds,
 * each accepted delivery's time to its durable record (stage "whatsapp_ack") and each sent message's
 * time from the provider's acceptance to its 'delivered' status (stage "whatsapp_delivery").
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
    onDelivered(ms) {
      metrics.observeStage('whatsapp_delivery', ms);
    },
  };
}

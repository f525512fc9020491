import { ParleyError } from '#protocol';
import type { Logger } from '../../platform/observability';
import { parseCloudDelivery, type ParsedDelivery } from '../cloud/cloud-webhook';
import { signatureMatches } from '../cloud/signature';
import { parseWahaDelivery } from '../waha/waha-webhook';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { MessageRepository } from '../store/message-repository';
import type { InboundIntake } from './inbound-intake';

export interface DeliveryOutcome {
  received: number;
  duplicates: number;
  /** From numbers the allow or block list refuses. */
  refused: number;
  statuses: number;
  skipped: number;
}

export interface WebhookObserver {
  onWebhook(outcome: 'accepted' | 'rejected_signature' | 'malformed', ms: number): void;
  /** A sent message's first 'delivered' status, this long after the provider accepted it. */
  onDelivered(ms: number): void;
}

/**
 * A verified delivery's path to durable storage: signature over the raw bytes first (nothing is
 * parsed or stored before it passes), then statuses advance outbound messages and messages go
 * into the queue. The answer goes back only after both are written.
 */
export class WebhookReceiver {
  constructor(
    private readonly deps: {
      intake: InboundIntake;
      messages: MessageRepository;
      config(): Promise<WhatsAppConfig>;
      changed(contactId: string): void;
      logger: Logger;
      observer: WebhookObserver;
    },
  ) {}

  config(): Promise<WhatsAppConfig> {
    return this.deps.config();
  }

  /** `provider` 'simulator': the panel's test contact, kept apart from real contacts of the same number. */
  async receiveCloud(raw: Buffer, signature: string | undefined, appSecret: string, provider: 'cloud' | 'simulator' = 'cloud'): Promise<DeliveryOutcome> {
    const started = performance.now();
    if (!signatureMatches(raw, signature, appSecret, 'sha256', 'sha256=')) {
      this.deps.observer.onWebhook('rejected_signature', performance.now() - started);
      this.deps.logger.warn({ hasSignature: Boolean(signature), bytes: raw.length }, 'WhatsApp webhook refused: missing or wrong X-Hub-Signature-256 (check WHATSAPP_APP_SECRET)');
      throw new ParleyError('unauthorized', 'Missing or wrong X-Hub-Signature-256');
    }
    const delivery = this.parse(raw, parseCloudDelivery, started);
    if (provider === 'simulator') {
      for (const message of delivery.messages) {
        message.provider = 'simulator';
        message.contact.id = `simulator:${message.contact.waId}`;
      }
    }
    return this.store(delivery, started);
  }

  async receiveWaha(raw: Buffer, signature: string | undefined, hmacKey: string, session: string): Promise<DeliveryOutcome> {
    const started = performance.now();
    if (!signatureMatches(raw, signature, hmacKey, 'sha512', '')) {
      this.deps.observer.onWebhook('rejected_signature', performance.now() - started);
      this.deps.logger.warn({ hasSignature: Boolean(signature), bytes: raw.length }, 'WAHA webhook refused: missing or wrong X-Webhook-Hmac (check WAHA_WEBHOOK_HMAC_KEY)');
      throw new ParleyError('unauthorized', 'Missing or wrong X-Webhook-Hmac');
    }
    return this.store(this.parse(raw, (body) => parseWahaDelivery(body, session), started), started);
  }

  parse(raw: Buffer, parser: (body: unknown) => ParsedDelivery, started: number): ParsedDelivery {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      this.deps.observer.onWebhook('malformed', performance.now() - started);
      throw new ParleyError('bad_request', `Webhook body is not valid JSON: ${(error as Error).message}`);
    }
    try {
      return parser(body);
    } catch (error) {
      this.deps.observer.onWebhook('malformed', performance.now() - started);
      throw new ParleyError('bad_request', `Webhook body is ${(error as Error).message}`);
    }
  }

  private async store(delivery: ParsedDelivery, started: number): Promise<DeliveryOutcome> {
    // Statuses only move our own messages forward; they never start a turn.
    const [changes, intake] = await Promise.all([
      Promise.all(delivery.statuses.map((status) => this.deps.messages.advanceStatus(status.providerId, status.status, status.error))),
      this.deps.intake.accept(delivery.messages),
    ]);
    for (const change of changes) {
      if (!change) continue;
      if (change.deliveredAfterMs !== undefined) this.deps.observer.onDelivered(change.deliveredAfterMs);
      this.deps.changed(change.contactId);
    }
    if (delivery.skipped.length) this.deps.logger.info({ skipped: delivery.skipped }, 'WhatsApp webhook: parts of the delivery were skipped');
    this.deps.observer.onWebhook('accepted', performance.now() - started);
    return { received: intake.accepted, duplicates: intake.duplicates, refused: intake.refused, statuses: delivery.statuses.length, skipped: delivery.skipped.length };
  }
}

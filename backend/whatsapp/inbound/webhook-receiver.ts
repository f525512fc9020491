import { ParleyError } from '#protocol';
import { hmacSignatureMatches } from '../../base';
import type { SpooledDelivery, WebhookAnswer } from '../../platform/http';
import type { Logger } from '../../platform/observability';
import { parseCloudDelivery, type ParsedDelivery } from '../cloud/cloud-webhook';
import { parseWahaDelivery } from '../waha/waha-webhook';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { MessageRepository, StatusChange } from '../store/message-repository';
import type { EarlyStatuses } from './early-statuses';
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
  /** How the public listener's thread answered a delivery (accepted: once spooled), in ms. */
  onWebhook(outcome: WebhookAnswer, ms: number): void;
  /** A sent message's first 'delivered' status, this long after the provider accepted it. */
  onDelivered(ms: number): void;
}

/**
 * A verified delivery's way into the bridge. Real providers' deliveries were checked and spooled by
 * the public listener's thread (their signature over the raw bytes, before anything was stored) and
 * arrive here in order; the simulator's are checked here. Statuses advance outbound messages;
 * messages go into the per-contact queue. Consuming a delivery twice (after a crash) changes
 * nothing: the queue drops a message id it has.
 */
export class WebhookReceiver {
  constructor(
    private readonly deps: {
      intake: InboundIntake;
      messages: MessageRepository;
      earlyStatuses: EarlyStatuses;
      config(): Promise<WhatsAppConfig>;
      changed(contactId: string): void;
      logger: Logger;
      observer: WebhookObserver;
      /** The number's throughput counts the messages it receives, not only those it sends. */
      throughput: { countInbound(count: number): void };
    },
  ) {}

  async consumeCloud(delivery: SpooledDelivery): Promise<DeliveryOutcome> {
    const outcome = await this.store(this.parse(delivery.raw, (body) => parseCloudDelivery(body, delivery.receivedAt)));
    // Re-deliveries are not new messages on the number; refused ones are.
    this.deps.throughput.countInbound(outcome.received + outcome.refused);
    return outcome;
  }

  async consumeWaha(delivery: SpooledDelivery): Promise<DeliveryOutcome> {
    const { wahaSession } = await this.deps.config();
    return this.store(this.parse(delivery.raw, (body) => parseWahaDelivery(body, wahaSession, delivery.receivedAt)));
  }

  /** The panel's test contact: signed as Meta signs, kept apart from a real contact of the same number. */
  async receiveSimulated(raw: Buffer, signature: string, secret: string): Promise<DeliveryOutcome> {
    if (!hmacSignatureMatches(raw, signature, secret, 'sha256', 'sha256=')) throw new ParleyError('unauthorized', 'The simulator signed its delivery with another secret');
    const delivery = this.parse(raw, (body) => parseCloudDelivery(body));
    for (const message of delivery.messages) {
      message.provider = 'simulator';
      message.contact.id = `simulator:${message.contact.waId}`;
    }
    return this.store(delivery);
  }

  /** The thread's answer to a delivery, for metrics and for the one warning an operator needs. */
  answered(provider: 'cloud' | 'waha', answer: WebhookAnswer, ms: number): void {
    this.deps.observer.onWebhook(answer, ms);
    if (answer !== 'rejected_signature') return;
    this.deps.logger.warn(
      provider === 'cloud'
        ? 'WhatsApp webhook refused: missing or wrong X-Hub-Signature-256 (check WHATSAPP_APP_SECRET)'
        : 'WAHA webhook refused: missing or wrong X-Webhook-Hmac (check WAHA_WEBHOOK_HMAC_KEY)',
    );
  }

  /** A status moved an outbound message forward (on arrival, or held until its send was recorded). */
  statusChanged(change: StatusChange): void {
    if (change.deliveredAfterMs !== undefined) this.deps.observer.onDelivered(change.deliveredAfterMs);
    this.deps.changed(change.contactId);
  }

  private parse(raw: Buffer, parser: (body: unknown) => ParsedDelivery): ParsedDelivery {
    try {
      return parser(JSON.parse(raw.toString('utf8')));
    } catch (error) {
      this.deps.observer.onWebhook('malformed', 0);
      throw new ParleyError('bad_request', `Webhook body is ${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message}`);
    }
  }

  private async store(delivery: ParsedDelivery): Promise<DeliveryOutcome> {
    // Statuses only move our own messages forward; they never start a turn.
    const [changes, intake] = await Promise.all([
      Promise.all(delivery.statuses.map((status) => this.deps.messages.advanceStatus(status.providerId, status.status, status.error))),
      this.deps.intake.accept(delivery.messages),
    ]);
    const overtaking: Array<Promise<void>> = [];
    changes.forEach((change, index) => {
      if (change) this.statusChanged(change);
      else overtaking.push(this.deps.earlyStatuses.holdIfUnknown(delivery.statuses[index]!));
    });
    await Promise.all(overtaking);
    if (delivery.skipped.length) this.deps.logger.info({ skipped: delivery.skipped }, 'WhatsApp webhook: parts of the delivery were skipped');
    return { received: intake.accepted, duplicates: intake.duplicates, refused: intake.refused, statuses: delivery.statuses.length, skipped: delivery.skipped.length };
  }
}

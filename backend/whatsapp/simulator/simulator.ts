import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../../platform/observability';
import { GraphClient } from '../cloud/graph-client';
import { cloudSignature } from '../cloud/signature';
import type { WebhookReceiver } from '../inbound/webhook-receiver';
import { GraphStandIn, type StandInMessage } from './graph-stand-in';

export const SIMULATOR_CONTACT = { id: 'simulator:15550000000', waId: '15550000000', name: 'Test contact (simulator)' };
const SIMULATOR_PHONE_NUMBER_ID = 'simulator-number';

/**
 * The panel's test contact. Its messages are Cloud API webhook bodies, signed and passed through
 * the same verification, queue and sender as a real contact's; replies go to the built-in Graph
 * stand-in, which answers with delivery and read statuses through the same webhook.
 */
export class WhatsAppSimulator {
  /** Signs the simulator's own deliveries: it works before any Meta app secret is configured. */
  private readonly secret = randomBytes(32).toString('hex');
  readonly standIn: GraphStandIn;
  readonly graph: GraphClient;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly receiver: WebhookReceiver,
    private readonly logger: Logger,
  ) {
    this.standIn = new GraphStandIn((message) => this.reportStatuses(message));
    this.graph = new GraphClient({ graphUrl: 'http://graph.simulator', graphVersion: 'v25.0', phoneNumberId: SIMULATOR_PHONE_NUMBER_ID, accessToken: 'simulator', fetch: this.standIn.fetch });
  }

  /** The contact writes: returns the message id once the delivery is stored. */
  send(text: string): Promise<string> {
    return this.deliverMessage('text', { body: text });
  }

  /** The contact taps a reply button (or a list row) under one of the bridge's messages. */
  tap(choice: { id: string; title: string }): Promise<string> {
    return this.deliverMessage('interactive', { type: 'button_reply', button_reply: { id: choice.id, title: choice.title } });
  }

  /** The contact sends a voice note (OGG/Opus, as WhatsApp records them): "uploaded" to the stand-in, then delivered by media id and sha256. */
  sendVoice(ogg: Uint8Array): Promise<string> {
    const bytes = Buffer.from(ogg);
    const mimeType = 'audio/ogg; codecs=opus';
    const mediaId = this.standIn.storeMedia(bytes, mimeType);
    return this.deliverMessage('audio', { id: mediaId, mime_type: mimeType, sha256: createHash('sha256').update(bytes).digest('hex'), voice: true });
  }

  private async deliverMessage(type: string, content: Record<string, unknown>): Promise<string> {
    const id = `wamid.simulator.in.${randomUUID()}`;
    const message = { from: SIMULATOR_CONTACT.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: content };
    await this.deliver({ contacts: [{ profile: { name: SIMULATOR_CONTACT.name }, wa_id: SIMULATOR_CONTACT.waId }], messages: [message] });
    return id;
  }

  /** No more statuses once the bridge stops (the store they would go to is closing). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private reportStatuses(message: StandInMessage): void {
    // After the sender recorded the send: a status must find the message's provider id stored.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const statuses = ['delivered', 'read'].map((status) => ({ id: message.providerId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: message.to }));
      this.deliver({ statuses }).catch((error: unknown) => this.logger.warn({ err: error }, 'Simulator could not report a delivery status'));
    }, 300);
    timer.unref();
    this.timers.add(timer);
  }

  private async deliver(value: Record<string, unknown>): Promise<void> {
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'simulator-waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000001', phone_number_id: SIMULATOR_PHONE_NUMBER_ID }, ...value } }] }],
    };
    const raw = Buffer.from(JSON.stringify(body));
    await this.receiver.receiveSimulated(raw, cloudSignature(raw, this.secret), this.secret);
  }
}

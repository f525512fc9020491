import type { JobQueue } from '../../platform/jobs';
import type { Logger } from '../../platform/observability';
import { NumberLists } from '../access/number-lists';
import { rateLimitedError, type RateLimiter } from '../access/rate-limiter';
import type { WhatsAppConfig } from '../config/whatsapp-config';
import type { ContactConfirmations, ConfirmationDecision } from '../confirm/contact-confirmations';
import { noteFor } from '../confirm/contact-confirmations';
import type { ContactRepository } from '../store/contact-repository';
import type { MessageRepository } from '../store/message-repository';
import { CONTACT_QUEUE, contactSerialKey, messageIdempotencyKey, type ContactJob } from './contact-jobs';
import type { InboundMessage } from './inbound-message';
import { previewOf } from './preview';

export interface IntakeResult {
  accepted: number;
  duplicates: number;
  /** From numbers the allow or block list refuses: acknowledged, not stored. */
  refused: number;
}

type Plan = { kind: 'refused' } | { kind: 'decision'; decision: ConfirmationDecision } | { kind: 'inbound'; limited?: 'notice' | 'silent' };

/** Message ids remembered so a re-delivery does not count twice against a contact's rate. */
const RECENT_IDS = 20_000;

/**
 * What a webhook does with a verified delivery before it answers 200: one atomic insert per
 * message into the durable queue, keyed by the message id (a re-delivery is dropped right there),
 * then 200. No AI work and no provider calls: those run in the contact's job. What can only be
 * decided here is decided here: numbers the lists refuse, the rate limit, and a contact's answer to
 * a waiting confirmation (the turn that would read it as a message is the one waiting for it).
 */
export class InboundIntake {
  private lists: { config: WhatsAppConfig; lists: NumberLists } | undefined;
  private readonly recentIds = new Set<string>();

  constructor(
    private readonly deps: {
      jobs: JobQueue;
      messages: MessageRepository;
      contacts: ContactRepository;
      confirmations: ContactConfirmations;
      rateLimiter: RateLimiter;
      config(): Promise<WhatsAppConfig>;
      changed(contactId: string): void;
      logger: Logger;
    },
  ) {}

  async accept(messages: InboundMessage[]): Promise<IntakeResult> {
    const result: IntakeResult = { accepted: 0, duplicates: 0, refused: 0 };
    if (!messages.length) return result;
    const config = await this.deps.config();
    const plans = messages.map((message) => this.plan(message, config));
    const queued = messages.map((message, index) => ({ message, plan: plans[index]! })).filter((entry) => entry.plan.kind !== 'refused');
    result.refused = messages.length - queued.length;
    if (result.refused) this.deps.logger.info({ refused: result.refused }, 'WhatsApp messages from numbers the allow or block list refuses were acknowledged and dropped');
    // All at once: the store writes the enqueues of one delivery in one synced commit.
    const enqueued = await Promise.all(
      queued.map(({ message, plan }) =>
        this.deps.jobs.enqueue(CONTACT_QUEUE, jobFor(message, plan), { idempotencyKey: messageIdempotencyKey(message), serialKey: contactSerialKey(message.contact.id), maxAttempts: 8 }),
      ),
    );
    queued.forEach(({ message, plan }, index) => {
      if (enqueued[index]!.duplicate) {
        result.duplicates += 1;
        return;
      }
      result.accepted += 1;
      // Once recorded, and only once (a re-delivered "yes" must not answer a later question).
      if (plan.kind === 'decision') this.deps.confirmations.decide(message.contact.id, plan.decision);
      // The job is the durable record and the only write the ACK waits for. The inbox's view is
      // written right after, off the answer's path (the job writes it too, if we stop before).
      // One over the rate limit is recorded settled, or an earlier job's turn would answer it.
      else setImmediate(() => void this.recordForInbox(message, plan.kind === 'inbound' && plan.limited ? { status: 'skipped', error: rateLimitedError(config) } : undefined));
    });
    return result;
  }

  /** The inbox row of an accepted message, and the live update; idempotent with the job's own write. */
  async recordForInbox(message: InboundMessage, settled?: { status: 'skipped'; error: string }): Promise<void> {
    try {
      if (await this.deps.messages.recordInbound(message, settled)) {
        await this.deps.contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
      }
      this.deps.changed(message.contact.id);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'WhatsApp inbox record failed; the message job writes it');
    }
  }

  private plan(message: InboundMessage, config: WhatsAppConfig): Plan {
    if (this.numberLists(config).refusal(message.contact.waId)) return { kind: 'refused' };
    const decision = this.deps.confirmations.decisionIn(message);
    if (decision) return { kind: 'decision', decision };
    const seen = this.recentIds.has(message.id);
    if (!seen) {
      this.recentIds.add(message.id);
      if (this.recentIds.size > RECENT_IDS) this.recentIds.delete(this.recentIds.values().next().value!);
    }
    // A re-delivery is dropped by the queue; it must not count against the contact's rate either.
    const rate = seen ? 'ok' : this.deps.rateLimiter.admit(message.contact.id, config.rateLimitPerMinute);
    return rate === 'ok' ? { kind: 'inbound' } : { kind: 'inbound', limited: rate === 'notice' ? 'notice' : 'silent' };
  }

  private numberLists(config: WhatsAppConfig): NumberLists {
    if (this.lists?.config !== config) this.lists = { config, lists: new NumberLists(config.allowList, config.blockList) };
    return this.lists.lists;
  }
}

function jobFor(message: InboundMessage, plan: Plan): ContactJob {
  if (plan.kind === 'decision') return { type: 'decided', message, note: noteFor(plan.decision) };
  return plan.kind === 'inbound' && plan.limited ? { type: 'inbound', message, limited: plan.limited } : { type: 'inbound', message };
}

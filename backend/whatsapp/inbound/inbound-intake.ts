import type { JobQueue } from '../../platform/jobs';
import type { ContactRepository } from '../store/contact-repository';
import type { MessageRepository } from '../store/message-repository';
import { CONTACT_QUEUE, contactSerialKey, inboundJob } from './contact-jobs';
import type { InboundMessage } from './inbound-message';
import { previewOf } from './preview';

export interface IntakeResult {
  accepted: number;
  duplicates: number;
}

/**
 * What a webhook does with a verified delivery before it answers 200: one atomic insert per
 * message into the durable queue, keyed by the message id (a re-delivery is dropped right there),
 * then the inbox record. No AI work, no provider calls: those run in the contact's job.
 */
export class InboundIntake {
  constructor(
    private readonly deps: {
      jobs: JobQueue;
      messages: MessageRepository;
      contacts: ContactRepository;
      changed(contactId: string): void;
    },
  ) {}

  async accept(messages: InboundMessage[]): Promise<IntakeResult> {
    const result: IntakeResult = { accepted: 0, duplicates: 0 };
    for (const message of messages) {
      const queued = await this.deps.jobs.enqueue(CONTACT_QUEUE, inboundJob(message), {
        idempotencyKey: `${message.provider}:${message.id}`,
        serialKey: contactSerialKey(message.contact.id),
        maxAttempts: 8,
      });
      if (queued.duplicate) {
        result.duplicates += 1;
        continue;
      }
      result.accepted += 1;
      // The job is the durable record; this is the inbox's view of it (the job writes it too if we stop here).
      if (await this.deps.messages.recordInbound(message)) {
        await this.deps.contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
      }
      this.deps.changed(message.contact.id);
    }
    return result;
  }
}

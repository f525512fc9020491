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
 * then 200. No AI work, no provider calls: those run in the contact's job.
 */
export class InboundIntake {
  constructor(
    private readonly deps: {
      jobs: JobQueue;
      messages: MessageRepository;
      contacts: ContactRepository;
      changed(contactId: string): void;
      onError(error: unknown): void;
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
      // The job is the durable record and the only write the ACK waits for. The inbox's view is
      // written right after, off the answer's path (the job writes it too, if we stop before).
      setImmediate(() => void this.recordForInbox(message));
    }
    return result;
  }

  /** The inbox row of an accepted message, and the live update; idempotent with the job's own write. */
  async recordForInbox(message: InboundMessage): Promise<void> {
    try {
      if (await this.deps.messages.recordInbound(message)) {
        await this.deps.contacts.recordInbound(message.contact, message.provider, previewOf(message), message.timestamp);
      }
      this.deps.changed(message.contact.id);
    } catch (error) {
      this.deps.onError(error);
    }
  }
}

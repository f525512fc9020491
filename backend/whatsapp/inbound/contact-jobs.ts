import { z } from 'zod';
import { inboundMessageSchema, type InboundMessage } from './inbound-message';

/** The queue of the bridge: one serial key per contact, so a contact's work runs one job at a time, in order. */
export const CONTACT_QUEUE = 'whatsapp.contact';

/**
 * A contact's job: answer an inbound message (with whatever else arrived meanwhile); record one
 * over the rate limit (with the one notice, or silently); record the contact's answer to a
 * confirmation (decided at intake); or send the operator's replies.
 */
export const contactJobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('inbound'), message: inboundMessageSchema, limited: z.enum(['notice', 'silent']).optional() }),
  z.object({ type: z.literal('decided'), message: inboundMessageSchema, note: z.string().max(2000) }),
  z.object({ type: z.literal('send'), contactId: z.string().min(1).max(200) }),
]);
export type ContactJob = z.infer<typeof contactJobSchema>;

/** Jobs of one contact share this key; a contact of WAHA and one of the Cloud API never collide. */
export function contactSerialKey(contactId: string): string {
  return `contact:${contactId}`;
}

/** A delivered message's job key: a re-delivery of the same message id finds it taken. */
export function messageIdempotencyKey(message: InboundMessage): string {
  return `${message.provider}:${message.id}`;
}

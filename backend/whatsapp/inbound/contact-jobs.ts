import { z } from 'zod';
import { inboundMessageSchema, type InboundMessage } from './inbound-message';

/** The queue of the bridge: one serial key per contact, so a contact's work runs one job at a time, in order. */
export const CONTACT_QUEUE = 'whatsapp.contact';

/** A contact's job: answer an inbound message (with whatever else arrived meanwhile), or send the operator's replies. */
export const contactJobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('inbound'), message: inboundMessageSchema }),
  z.object({ type: z.literal('send'), contactId: z.string().min(1).max(200) }),
]);
export type ContactJob = z.infer<typeof contactJobSchema>;

export function inboundJob(message: InboundMessage): ContactJob {
  return { type: 'inbound', message };
}

/** Jobs of one contact share this key; a contact of WAHA and one of the Cloud API never collide. */
export function contactSerialKey(contactId: string): string {
  return `contact:${contactId}`;
}

/** Real-format Cloud API webhook bodies and their signatures, as Meta sends them. */
import { createHmac, randomUUID } from 'node:crypto';

export const APP_SECRET = 'test-app-secret-ä-🔑';
export const VERIFY_TOKEN = 'test-verify-token';
export const ACCESS_TOKEN = 'test-access-token';
export const PHONE_NUMBER_ID = '106540352242922';

export function signCloud(raw: Buffer | string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export function envelope(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }],
  };
}

export interface TextMessageOptions {
  from?: string;
  name?: string;
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

export function textMessage(body: string, options: TextMessageOptions = {}): { id: string; payload: Record<string, unknown> } {
  const from = options.from ?? '16505551234';
  const id = options.id ?? `wamid.HBgL${randomUUID().replace(/-/g, '')}`;
  return {
    id,
    payload: envelope({
      contacts: [{ profile: { name: options.name ?? 'Kerry Fisher' }, wa_id: from }],
      messages: [{ from, id, timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
    }),
  };
}

/** A message of another type than text (`content` is what Meta puts under the type's key), from `from`. */
export function typedMessage(type: string, content: Record<string, unknown>, from = '16505551234'): { id: string; payload: Record<string, unknown> } {
  const id = `wamid.HBgL${randomUUID().replace(/-/g, '')}`;
  return {
    id,
    payload: envelope({
      contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: content }],
    }),
  };
}

export function statusUpdate(providerId: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipient = '16505551234'): Record<string, unknown> {
  return envelope({ statuses: [{ id: providerId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient }] });
}

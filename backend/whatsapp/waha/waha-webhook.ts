import { z } from 'zod';
import type { ParsedDelivery, StatusUpdate } from '../cloud/cloud-webhook';
import { sentAtMs, type InboundMessage } from '../inbound/inbound-message';

const mediaSchema = z.object({ url: z.string().max(4000).nullish(), mimetype: z.string().max(200).nullish(), filename: z.string().max(500).nullish() }).nullish();

const payloadSchema = z.object({
  id: z.union([z.string(), z.object({ _serialized: z.string() })]),
  timestamp: z.number().optional(),
  from: z.string().max(200).optional(),
  fromMe: z.boolean().optional(),
  body: z.string().max(100_000).nullish(),
  hasMedia: z.boolean().optional(),
  media: mediaSchema,
  replyTo: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  ack: z.number().optional(),
  _data: z.object({ notifyName: z.string().optional() }).partial().passthrough().optional(),
});

const eventSchema = z.object({ event: z.string(), session: z.string().optional(), payload: z.unknown() });

/**
 * A WAHA message id is "<fromMe>_<chatId>_<key>"; the same message has been delivered under an
 * "@lid" and an "@c.us" chat id, so only the key identifies it.
 */
export function wahaMessageKey(id: string): string {
  const parts = id.split('_');
  return parts.length >= 3 ? parts[parts.length - 1]! : id;
}

/** The number of a chat id ("16505551234@c.us" → "16505551234"). */
export function wahaNumber(chatId: string): string {
  return chatId.split('@')[0]!;
}

const ACK_STATUS: Record<number, StatusUpdate['status']> = { [-1]: 'failed', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'read' };

/** Parses a WAHA webhook body (events "message" and "message.ack", received at `receivedAt`, epoch ms); throws when it is not a WAHA event. */
export function parseWahaDelivery(body: unknown, session: string, receivedAt = Date.now()): ParsedDelivery {
  const event = eventSchema.safeParse(body);
  if (!event.success) throw new Error(`not a WAHA event: ${event.error.issues[0]?.path.join('.') || 'body'} ${event.error.issues[0]?.message ?? ''}`.trim());
  const parsed: ParsedDelivery = { messages: [], statuses: [], skipped: [] };
  if (event.data.session && session && event.data.session !== session) {
    parsed.skipped.push(`event of session "${event.data.session}", not "${session}"`);
    return parsed;
  }
  const payload = payloadSchema.safeParse(event.data.payload);
  if (!payload.success) {
    parsed.skipped.push(`${event.data.event} without ${payload.error.issues[0]?.path.join('.') || 'payload'}`);
    return parsed;
  }
  const id = typeof payload.data.id === 'string' ? payload.data.id : payload.data.id._serialized;
  if (event.data.event === 'message.ack') {
    const status = payload.data.ack !== undefined ? ACK_STATUS[payload.data.ack] : undefined;
    if (status) parsed.statuses.push({ providerId: wahaMessageKey(id), status, error: status === 'failed' ? 'WAHA reported the message failed' : null });
    else parsed.skipped.push(`ack ${payload.data.ack}`);
    return parsed;
  }
  if (event.data.event !== 'message') {
    parsed.skipped.push(`event "${event.data.event}"`);
    return parsed;
  }
  if (payload.data.fromMe) {
    parsed.skipped.push('own message (fromMe)');
    return parsed;
  }
  if (!payload.data.from || payload.data.from.endsWith('@g.us')) {
    parsed.skipped.push(payload.data.from ? 'group message' : `message ${id} without a sender`);
    return parsed;
  }
  const number = wahaNumber(payload.data.from);
  const mime = payload.data.media?.mimetype ?? '';
  const kind = !payload.data.hasMedia ? 'text' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('image/') ? 'image' : mime.startsWith('video/') ? 'video' : 'document';
  const message: InboundMessage = {
    id: wahaMessageKey(id),
    provider: 'waha',
    contact: { id: `waha:${number}`, waId: number, name: payload.data._data?.notifyName ?? '' },
    timestamp: sentAtMs(payload.data.timestamp ?? 0, receivedAt),
    kind,
    text: kind === 'audio' ? '' : (payload.data.body ?? ''),
  };
  if (payload.data.hasMedia && payload.data.media?.url) {
    message.media = { url: payload.data.media.url, mimeType: mime || 'application/octet-stream', voice: kind === 'audio' };
    if (payload.data.media.filename) message.media.filename = payload.data.media.filename;
  }
  const replyTo = payload.data.replyTo;
  if (replyTo) message.replyTo = typeof replyTo === 'string' ? replyTo : replyTo.id;
  parsed.messages.push(message);
  return parsed;
}

import { z } from 'zod';
import { sentAtMs, type InboundMessage } from '../inbound/inbound-message';

/** A delivery status of one of our messages, from a status webhook. */
export interface StatusUpdate {
  providerId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** For failed: the error text for the operator. */
  error: string | null;
}

/** What one POST carried, and what was skipped and why (logged, never a crash). */
export interface ParsedDelivery {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  skipped: string[];
}

// Lenient on purpose: Meta adds fields, and one bad message must not sink the others in the POST.
const contactSchema = z.object({ wa_id: z.string().optional(), user_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).partial().optional() });
const valueSchema = z.object({
  contacts: z.array(contactSchema).optional(),
  messages: z.array(z.record(z.string(), z.unknown())).optional(),
  statuses: z.array(z.record(z.string(), z.unknown())).optional(),
});
const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string().optional(), value: z.unknown() })).optional() })),
});

const messageHeadSchema = z.object({
  id: z.string().min(1).max(200),
  from: z.string().min(1).max(200).optional(),
  from_user_id: z.string().max(200).optional(),
  timestamp: z.union([z.string(), z.number()]),
  type: z.string().min(1).max(32),
  context: z.object({ id: z.string().optional() }).partial().optional(),
});

const mediaSchema = z.object({
  id: z.string().max(200),
  mime_type: z.string().max(200).default('application/octet-stream'),
  sha256: z.string().max(200).optional(),
  voice: z.boolean().optional(),
  caption: z.string().max(100_000).optional(),
  filename: z.string().max(500).optional(),
});

// Built once: a zod schema costs more to construct than to run, and these run on every delivery.
const textSchema = z.object({ body: z.string().max(100_000) });
const interactiveSchema = z.object({
  button_reply: z.object({ id: z.string().max(256), title: z.string().max(200) }).optional(),
  list_reply: z.object({ id: z.string().max(256), title: z.string().max(200), description: z.string().max(500).optional() }).optional(),
});
const buttonSchema = z.object({ text: z.string() });
const locationSchema = z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() });
const statusSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.string(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).partial().optional() })).optional(),
});

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'played']);

/** Parses a Cloud API webhook body (received at `receivedAt`, epoch ms); throws only when it is not a WhatsApp envelope at all. */
export function parseCloudDelivery(body: unknown, receivedAt = Date.now()): ParsedDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new Error(`not a WhatsApp Business Account webhook: ${envelope.error.issues[0]?.path.join('.') || 'body'} ${envelope.error.issues[0]?.message ?? ''}`.trim());
  const parsed: ParsedDelivery = { messages: [], statuses: [], skipped: [] };
  if (envelope.data.object !== 'whatsapp_business_account') {
    parsed.skipped.push(`object "${envelope.data.object}" is not whatsapp_business_account`);
    return parsed;
  }
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes ?? []) {
      if (change.field !== undefined && change.field !== 'messages') {
        parsed.skipped.push(`change field "${change.field}"`);
        continue;
      }
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        parsed.skipped.push(`change value malformed at ${value.error.issues[0]?.path.join('.')}`);
        continue;
      }
      const contacts = value.data.contacts ?? [];
      for (const raw of value.data.messages ?? []) readMessage(raw, contacts, parsed, receivedAt);
      for (const raw of value.data.statuses ?? []) readStatus(raw, parsed);
    }
  }
  return parsed;
}

function readMessage(raw: Record<string, unknown>, contacts: Array<z.infer<typeof contactSchema>>, parsed: ParsedDelivery, receivedAt: number): void {
  const head = messageHeadSchema.safeParse(raw);
  if (!head.success) {
    parsed.skipped.push(`message without ${head.error.issues[0]?.path.join('.') || 'required fields'}`);
    return;
  }
  const { id, from, type } = head.data;
  const contact = contacts.find((candidate) => (from !== undefined && candidate.wa_id === from) || (head.data.from_user_id !== undefined && candidate.user_id === head.data.from_user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = from ?? contact?.wa_id ?? head.data.from_user_id ?? contact?.user_id;
  if (!waId) {
    parsed.skipped.push(`message ${id} without a sender`);
    return;
  }
  // Since 2026 a contact may have a business-scoped user id and no phone number: key by it when present.
  const contactId = contact?.user_id ?? head.data.from_user_id ?? waId;
  const seconds = Number(head.data.timestamp);
  const message: InboundMessage = {
    id,
    provider: 'cloud',
    contact: { id: contactId, waId, name: contact?.profile?.name ?? '' },
    timestamp: sentAtMs(seconds, receivedAt),
    kind: type,
    text: '',
  };
  if (head.data.context?.id) message.replyTo = head.data.context.id;
  const content = raw[type];
  switch (type) {
    case 'text': {
      const body = textSchema.safeParse(content);
      if (!body.success) return void parsed.skipped.push(`text message ${id} without a body`);
      message.text = body.data.body;
      break;
    }
    case 'audio':
    case 'image':
    case 'document':
    case 'video':
    case 'sticker': {
      const media = mediaSchema.safeParse(content);
      if (!media.success) return void parsed.skipped.push(`${type} message ${id} without a media id`);
      message.text = media.data.caption ?? '';
      message.media = { id: media.data.id, mimeType: media.data.mime_type, voice: media.data.voice ?? false };
      if (media.data.sha256) message.media.sha256 = media.data.sha256;
      if (media.data.filename) message.media.filename = media.data.filename;
      break;
    }
    case 'interactive': {
      const reply = interactiveSchema.safeParse(content);
      const chosen = reply.success ? (reply.data.button_reply ?? reply.data.list_reply) : undefined;
      if (!chosen) return void parsed.skipped.push(`interactive message ${id} without a reply`);
      // A list row's title is cut at 24 characters; its description then carries the whole choice.
      const description = reply.success ? reply.data.list_reply?.description : undefined;
      message.text = chosen.title.endsWith('…') && description ? description : chosen.title;
      message.choiceId = chosen.id;
      break;
    }
    case 'button': {
      const button = buttonSchema.safeParse(content);
      if (!button.success) return void parsed.skipped.push(`button message ${id} without text`);
      message.text = button.data.text;
      break;
    }
    case 'location': {
      const location = locationSchema.safeParse(content);
      message.text = location.success
        ? `(shared a location: ${[location.data.name, location.data.address].filter(Boolean).join(', ') || `${location.data.latitude}, ${location.data.longitude}`})`
        : '';
      break;
    }
    default:
      // reaction, unsupported, contacts, order...: recorded; the worker decides whether to answer.
      break;
  }
  parsed.messages.push(message);
}

function readStatus(raw: Record<string, unknown>, parsed: ParsedDelivery): void {
  const status = statusSchema.safeParse(raw);
  if (!status.success || !STATUSES.has(status.data.status)) {
    parsed.skipped.push(`status ${status.success ? `"${status.data.status}"` : 'without id or status'}`);
    return;
  }
  const error = status.data.errors?.[0];
  parsed.statuses.push({
    providerId: status.data.id,
    // "played" (a voice note listened to) is as far as read.
    status: status.data.status === 'played' ? 'read' : (status.data.status as StatusUpdate['status']),
    error: error ? `${error.code ?? ''} ${error.error_data?.details ?? error.message ?? error.title ?? ''}`.trim() : null,
  });
}

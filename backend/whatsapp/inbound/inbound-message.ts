import { z } from 'zod';
import { whatsappOptionalKindSchema, type WhatsAppOptionalKind } from '#protocol';

/**
 * One message from a contact, the same whichever adapter received it: this is the job payload of
 * the inbound queue, so it is validated again when the job runs (it came from outside).
 */
export const inboundMessageSchema = z.object({
  /** The provider's message id: the idempotency key of the queue. */
  id: z.string().min(1).max(200),
  provider: z.enum(['cloud', 'waha', 'simulator']),
  contact: z.object({ id: z.string().min(1).max(200), waId: z.string().min(1).max(200), name: z.string().max(200) }),
  /** When the contact sent it (epoch ms); messages are answered in this order. */
  timestamp: z.number(),
  /** text, audio, image, document, video, sticker, interactive, button, reaction, location, unsupported... */
  kind: z.string().min(1).max(32),
  /** The text, a caption, a button's title; empty for a voice note until it is transcribed. */
  text: z.string().max(100_000),
  media: z
    .object({
      /** Cloud API media id (fetch its URL with the token). */
      id: z.string().max(200).optional(),
      /** WAHA: the URL to fetch with the API key. */
      url: z.string().max(4000).optional(),
      mimeType: z.string().max(200),
      sha256: z.string().max(200).optional(),
      voice: z.boolean(),
      filename: z.string().max(500).optional(),
    })
    .optional(),
  /** The message it replies to, if any. */
  replyTo: z.string().max(200).optional(),
  /** A tapped reply button or list row: its id (ours, from when we sent it). */
  choiceId: z.string().max(256).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** What the agent reads for a message: its text, or what kind of message it was when it has none. */
export function describeForAgent(kind: string, text: string, fileName?: string): string {
  const attachment = kind === 'document' ? `(with the document "${fileName ?? 'unnamed'}")` : kind === 'image' ? '(with an image)' : '';
  if (text.trim()) return attachment ? `${text.trim()} ${attachment}` : text.trim();
  switch (kind) {
    case 'audio':
      return '(a voice note that could not be transcribed)';
    case 'image':
      return '(the contact sent an image without a caption)';
    case 'document':
      return `(the contact sent the document "${fileName ?? 'unnamed'}")`;
    case 'unsupported':
      return '(the contact sent a message WhatsApp does not pass on to this number)';
    default:
      return `(the contact sent a ${kind} message, which cannot be read here)`;
  }
}

/** Types the bridge reads: always answered. */
const READ_KINDS = new Set(['text', 'audio', 'image', 'document', 'interactive', 'button']);
/** WhatsApp's own notices, not written by the contact: recorded, never answered. */
const NOTICE_KINDS = new Set(['system', 'ephemeral', 'request_welcome']);

/** Whether a message of `kind` gets a turn, given the types the operator chose to leave unanswered. */
export function isAnswered(kind: string, unansweredKinds: readonly WhatsAppOptionalKind[]): boolean {
  if (READ_KINDS.has(kind)) return true;
  if (NOTICE_KINDS.has(kind)) return false;
  const optional = whatsappOptionalKindSchema.safeParse(kind);
  return !unansweredKinds.includes(optional.success ? optional.data : 'unsupported');
}

/**
 * When a contact sent a message, in epoch ms. Providers give whole seconds, so a message and the
 * reply it crossed within one second would sort either way: when the webhook arrives within that
 * second, the moment of receipt supplies the milliseconds; a late re-delivery keeps the provider's.
 */
export function sentAtMs(seconds: number, receivedAt = Date.now()): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return receivedAt;
  const sent = seconds * 1000;
  return receivedAt >= sent && receivedAt < sent + 1000 ? receivedAt : sent;
}

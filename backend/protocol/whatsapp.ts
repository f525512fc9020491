import { z } from 'zod';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

/** Which bridge carries the messages: Meta's Cloud API (official) or a self-hosted WAHA (QR-paired). */
export const whatsappProviderSchema = z.enum(['cloud', 'waha']);
export type WhatsAppProvider = z.infer<typeof whatsappProviderSchema>;

/** The paths of the webhooks on the public listener (PARLEY_WEBHOOK_HOST / PARLEY_WEBHOOK_PORT). */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';
export const WAHA_WEBHOOK_PATH = '/webhooks/waha';

/** Control routes (token): a stored voice note or file of a message, and voice notes recorded in the panel (WAV body). */
export const WHATSAPP_MEDIA_PATH = '/api/whatsapp/media';
export const WHATSAPP_VOICE_PATH = '/api/whatsapp/voice';

/** `GET` the stored audio (or file) of a message. */
export function whatsappMediaPath(messageId: string): string {
  return `${WHATSAPP_MEDIA_PATH}/${encodeURIComponent(messageId)}`;
}

/** `POST` a WAV recorded in the panel: as the simulator contact's voice note, or as the operator's voice reply to a contact. */
export function whatsappVoicePath(to: { simulator: true } | { contactId: string }): string {
  return 'simulator' in to ? `${WHATSAPP_VOICE_PATH}/simulator` : `${WHATSAPP_VOICE_PATH}/contacts/${encodeURIComponent(to.contactId)}`;
}

/** Voice-note replies: never, always, or when the contact's own message was a voice note. */
export const whatsappVoiceRepliesSchema = z.enum(['never', 'always', 'mirror']);
export type WhatsAppVoiceReplies = z.infer<typeof whatsappVoiceRepliesSchema>;

/**
 * Message types the bridge does not read, which may be answered (the agent is told what came and
 * answers politely) or only recorded in the inbox. "unsupported": every other such type (orders,
 * polls, what WhatsApp itself marks unsupported).
 */
export const whatsappOptionalKindSchema = z.enum(['reaction', 'location', 'sticker', 'video', 'contacts', 'unsupported']);
export type WhatsAppOptionalKind = z.infer<typeof whatsappOptionalKindSchema>;

/** A phone number ("+1 650 555 1234", any spacing) or a prefix ending in * ("+4930*"). */
const numberPatternSchema = z.string().trim().regex(/^\+?[\d\s().-]{2,30}\*?$/, 'a phone number, or a prefix ending in *');

export const whatsappTemplateSchema = z.object({
  name: z.string().min(1).max(512),
  /** e.g. "en_US" */
  language: z.string().min(2).max(15),
});
export type WhatsAppTemplate = z.infer<typeof whatsappTemplateSchema>;

export const whatsappSettings = {
  'whatsapp.provider': whatsappProviderSchema.default('cloud'),
  'whatsapp.graphUrl': z.string().url().default('https://graph.facebook.com'),
  /** Pinned: Graph versions change field shapes. */
  'whatsapp.graphVersion': z.string().regex(/^v\d+\.\d+$/, 'like v25.0').default('v25.0'),
  'whatsapp.phoneNumberId': z.string().max(64).default(''),
  'whatsapp.wahaUrl': z.string().max(2000).default(''),
  'whatsapp.wahaSession': z.string().max(100).default('default'),
  /** Sent instead of free text once a contact's 24-hour window closed (error 131047); null marks the conversation "window closed". */
  'whatsapp.template': whatsappTemplateSchema.nullable().default(null),
  /** A message that is exactly one of these (any case) ends all messages to that contact. */
  'whatsapp.optOutKeywords': z.array(z.string().min(1).max(40)).max(20).default(['STOP', 'UNSUBSCRIBE']),
  /** A contact's conversation context expires after this idle time. */
  'whatsapp.sessionIdleHours': z.number().min(0.1).max(24 * 90).default(24),
  /** Tool names WhatsApp contacts may use; null: the tools that list the WhatsApp channel (no database tool by default). */
  'whatsapp.allowedTools': z.array(z.string().max(100)).max(200).nullable().default(null),
  /** Reply with a voice note: never, always, or when the contact sent one (mirror). */
  'whatsapp.voiceReplies': whatsappVoiceRepliesSchema.default('never'),
  /** When not empty, only these numbers (or prefixes) are answered; others are acknowledged and dropped. */
  'whatsapp.allowList': z.array(numberPatternSchema).max(1000).default([]),
  /** These numbers (or prefixes) are acknowledged and dropped, never answered. */
  'whatsapp.blockList': z.array(numberPatternSchema).max(1000).default([]),
  /** Messages a contact may send per minute; past it they are told once, then ignored until the minute is over. 0: no limit. */
  'whatsapp.rateLimitPerMinute': z.number().int().min(0).max(1000).default(20),
  /** Voice notes (received and sent) are deleted from the data folder after this many days; their transcripts stay. 0: kept for good. */
  'whatsapp.mediaRetentionDays': z.number().int().min(0).max(3650).default(90),
  /** The business number's throughput tier in Meta's messages per second, received and sent together: 80 by default, 1,000 once Meta upgraded the number, 20 for a number shared with the WhatsApp Business app. The bridge keeps to seven eighths of it. */
  'whatsapp.messagesPerSecond': z.number().int().min(1).max(1000).default(80),
  /** Of the types the bridge does not read, those recorded in the inbox and not answered; the others the agent answers. */
  'whatsapp.unansweredKinds': z.array(whatsappOptionalKindSchema).max(6).default(['reaction']),
};

/** Where a message stands. Inbound: received → answered (or held for the operator, skipped). Outbound: pending → sending → sent → delivered → read, or failed. */
export const whatsappMessageStatusSchema = z.enum(['received', 'answered', 'held', 'skipped', 'pending', 'sending', 'sent', 'delivered', 'read', 'failed']);
export type WhatsAppMessageStatus = z.infer<typeof whatsappMessageStatusSchema>;

export const whatsappMessageSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  direction: z.enum(['in', 'out']),
  /** text, audio, image, document, interactive, template, ... */
  kind: z.string(),
  /** The text, a voice note's transcript, or a description of what was received. */
  text: z.string(),
  author: z.enum(['contact', 'agent', 'operator', 'system']),
  status: whatsappMessageStatusSchema,
  /** Why a message failed or was skipped, in words for the operator. */
  error: z.string().nullable(),
  /** What the bridge did with it, for the operator: a confirmation decided, a document added, a rate-limit notice. */
  note: z.string().nullable(),
  /** A voice note or file Parley kept: `playable` when its bytes can be fetched from whatsappMediaPath(id). */
  media: z.object({ mimeType: z.string(), fileName: z.string().nullable(), voice: z.boolean(), playable: z.boolean() }).nullable(),
  /** The reply buttons or list rows offered with an outbound message (the simulator taps them by id). */
  choices: z.array(z.object({ id: z.string(), title: z.string() })).nullable(),
  /** The contact's send time for inbound messages (epoch ms), the record time for outbound ones. */
  timestamp: z.number(),
});
export type WhatsAppMessage = z.infer<typeof whatsappMessageSchema>;

export const whatsappContactSchema = z.object({
  id: z.string(),
  /** The phone number (wa_id), or the business-scoped user id when no number is shared. */
  waId: z.string(),
  name: z.string(),
  provider: z.enum(['cloud', 'waha', 'simulator']),
  conversationId: z.string().nullable(),
  /** The operator answers; the agent stays silent until released. */
  takenOver: z.boolean(),
  optedOut: z.boolean(),
  /** The last reply failed with 131047 and no template is configured. */
  windowClosed: z.boolean(),
  unread: z.number(),
  lastMessageAt: z.number(),
  lastText: z.string(),
});
export type WhatsAppContact = z.infer<typeof whatsappContactSchema>;

export const whatsappStatusSchema = z.object({
  provider: whatsappProviderSchema,
  /** Ready to receive and send; else `missing` says what to fill in. */
  configured: z.boolean(),
  missing: z.array(z.string()),
  /** Settings that come from the environment (server mode) and override the panel's. */
  fromEnvironment: z.array(z.string()),
  webhookPath: z.string(),
  wahaWebhookPath: z.string(),
  /** The public listener's address with the path, as this backend listens (null: it could not listen). Behind a tunnel or proxy, register the public host instead. */
  webhookUrl: z.string().nullable(),
  wahaWebhookUrl: z.string().nullable(),
  graphUrl: z.string(),
  graphVersion: z.string(),
  phoneNumberId: z.string(),
  wahaUrl: z.string(),
  wahaSession: z.string(),
  /** Which secrets are set (never their values). */
  secrets: z.object({ appSecret: z.boolean(), verifyToken: z.boolean(), accessToken: z.boolean(), wahaApiKey: z.boolean(), wahaHmacKey: z.boolean() }),
  queue: z.object({ queued: z.number(), running: z.number(), dead: z.number() }),
});
export type WhatsAppStatus = z.infer<typeof whatsappStatusSchema>;

const secretField = z.string().max(4000).optional();

export const whatsappMethods = {
  'whatsapp.status': { params: z.object({}), result: whatsappStatusSchema },
  /** Saves the panel's connection settings; secrets go to the vault (an empty string deletes one). */
  'whatsapp.configure': {
    params: z.object({
      provider: whatsappProviderSchema.optional(),
      graphUrl: z.string().url().optional(),
      graphVersion: z.string().regex(/^v\d+\.\d+$/).optional(),
      phoneNumberId: z.string().max(64).optional(),
      wahaUrl: z.string().max(2000).optional(),
      wahaSession: z.string().max(100).optional(),
      appSecret: secretField,
      verifyToken: secretField,
      accessToken: secretField,
      wahaApiKey: secretField,
      wahaHmacKey: secretField,
    }),
    result: whatsappStatusSchema,
  },
  'whatsapp.contacts.list': { params: z.object({}), result: z.object({ contacts: z.array(whatsappContactSchema) }) },
  'whatsapp.messages.list': {
    params: z.object({ contactId: z.string().min(1).max(200), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ contact: whatsappContactSchema, messages: z.array(whatsappMessageSchema) }),
  },
  /** The operator opened the conversation: its unread count goes to zero. */
  'whatsapp.contacts.markRead': { params: z.object({ contactId: z.string().min(1).max(200) }), result: z.object({ contact: whatsappContactSchema }) },
  /** Take over (the agent stays silent for this contact) or release. */
  'whatsapp.contacts.takeOver': {
    params: z.object({ contactId: z.string().min(1).max(200), takenOver: z.boolean() }),
    result: z.object({ contact: whatsappContactSchema }),
  },
  /** The operator's own reply, sent through the same recorded, retried sender as the agent's. */
  'whatsapp.reply': {
    params: z.object({ contactId: z.string().min(1).max(200), text: z.string().min(1).max(20_000) }),
    result: z.object({ messages: z.array(whatsappMessageSchema) }),
  },
  /**
   * The simulator contact writes, or taps one of the buttons under a reply: the message goes through
   * the signed webhook, the queue and the sender (against the built-in Graph stand-in). Voice notes
   * are POSTed as WAV to whatsappVoicePath({ simulator: true }).
   */
  'whatsapp.simulator.send': {
    params: z
      .object({ text: z.string().min(1).max(4096).optional(), choice: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(200) }).optional() })
      .refine((params) => (params.text === undefined) !== (params.choice === undefined), 'Give either text or a choice'),
    result: z.object({ contactId: z.string(), messageId: z.string() }),
  },
} as const satisfies Record<string, MethodSpec>;

export const whatsappEvents = {
  /** A contact's messages or state changed (inbound, reply, delivery tick, take-over). */
  'whatsapp.changed': eventSpec(z.object({ contactId: z.string() }), () => topics.whatsapp),
} as const;

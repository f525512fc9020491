import type { WhatsAppTemplate } from '#protocol';
import type { InboundMessage } from '../inbound/inbound-message';

/** Who a message goes to, as the adapter addresses them. */
export interface Recipient {
  /** The phone number (Cloud API `to`) or the WAHA chat id's number part. */
  waId: string;
}

export interface SentMessage {
  /** The provider's id of the sent message; status webhooks refer to it. */
  providerId: string;
}

export interface DownloadedMedia {
  bytes: Buffer;
  mimeType: string;
}

/** Reply buttons (up to 3, titles up to 20 characters) or a list (up to 10 rows): what WhatsApp shows under a message to tap. */
export type InteractiveContent =
  | { type: 'button'; body: string; buttons: Array<{ id: string; title: string }> }
  | { type: 'list'; body: string; button: string; rows: Array<{ id: string; title: string; description?: string }> };

/** A voice note ready to send: OGG/Opus mono, at most 512 KB (WhatsApp shows larger ones as a file). */
export interface VoiceNote {
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * What the bridge needs from a WhatsApp provider. The Cloud API and WAHA adapters implement it;
 * the simulator uses the Cloud adapter against the built-in Graph stand-in. Methods throw a
 * {@link SendFailure} that says whether trying again can help.
 */
export interface MessagingAdapter {
  readonly name: 'cloud' | 'waha';
  sendText(to: Recipient, text: string, options?: { replyTo?: string }): Promise<SentMessage>;
  /** Uploads the audio and sends it as a voice note (Cloud API: media upload, then `voice: true`; WAHA: sendVoice). */
  sendVoice(to: Recipient, note: VoiceNote): Promise<SentMessage>;
  /** Reply buttons or a list; a provider without them (WAHA) sends the choices as text. */
  sendInteractive(to: Recipient, content: InteractiveContent): Promise<SentMessage>;
  /** Null when the provider has no templates (WAHA): the caller marks the window closed instead. */
  sendTemplate: ((to: Recipient, template: WhatsAppTemplate) => Promise<SentMessage>) | null;
  /** Blue ticks and the typing indicator; best effort. */
  markRead(message: InboundMessage): Promise<void>;
  /** Fetches inbound media at once (Cloud API URLs live 5 minutes) and checks its sha256 when given; refuses more than `maxBytes` (default 16 MB). */
  downloadMedia(media: NonNullable<InboundMessage['media']>, signal?: AbortSignal, maxBytes?: number): Promise<DownloadedMedia>;
}

/** A failed call to the provider, classified: retry later, or a final answer with what to do. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's error code (Graph: 131047, 130429...), when it gave one. */
    readonly code: number | undefined,
    /** The 24-hour customer-service window closed: only a template may go out. */
    readonly windowClosed = false,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

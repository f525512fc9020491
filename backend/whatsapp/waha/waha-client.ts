import { SendFailure, type DownloadedMedia, type InteractiveContent, type MessagingAdapter, type Recipient, type SentMessage, type VoiceNote } from '../adapter/messaging-adapter';
import { keepAliveFetch } from '../adapter/keep-alive-fetch';
import type { InboundMessage } from '../inbound/inbound-message';
import { wahaMessageKey } from './waha-webhook';

export interface WahaClientOptions {
  url: string;
  apiKey: string;
  session: string;
  timeoutMs?: number;
}

const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/** WAHA (self-hosted WhatsApp HTTP API): the same interface as the Cloud API adapter, no templates. */
export class WahaClient implements MessagingAdapter {
  readonly name = 'waha' as const;
  readonly sendTemplate = null;

  constructor(private readonly options: WahaClientOptions) {}

  async sendText(to: Recipient, text: string, options: { replyTo?: string } = {}): Promise<SentMessage> {
    return this.send('/api/sendText', { session: this.options.session, chatId: `${to.waId}@c.us`, text, ...(options.replyTo ? { reply_to: options.replyTo } : {}) });
  }

  /** `POST /api/sendVoice` with the OGG/Opus bytes inline; `convert: false`, it already is what WhatsApp plays. */
  async sendVoice(to: Recipient, note: VoiceNote): Promise<SentMessage> {
    return this.send('/api/sendVoice', {
      session: this.options.session,
      chatId: `${to.waId}@c.us`,
      file: { mimetype: note.mimeType, filename: 'voice-note.ogg', data: Buffer.from(note.bytes).toString('base64') },
      convert: false,
    });
  }

  /** WhatsApp Web has no dependable buttons for WAHA to drive: the choices go out as a numbered list to answer in words or by number. */
  async sendInteractive(to: Recipient, content: InteractiveContent): Promise<SentMessage> {
    const titles = content.type === 'button' ? content.buttons.map((button) => button.title) : content.rows.map((row) => row.description ?? row.title);
    return this.sendText(to, `${content.body}\n\n${titles.map((title, index) => `${index + 1}. ${title}`).join('\n')}`);
  }

  private async send(path: string, body: unknown): Promise<SentMessage> {
    const answer = (await this.call('POST', path, body)) as { id?: string | { _serialized?: string } };
    const id = typeof answer?.id === 'string' ? answer.id : answer?.id?._serialized;
    if (!id) throw new SendFailure('WAHA accepted the message but returned no message id', false, undefined);
    return { providerId: wahaMessageKey(id) };
  }

  async markRead(message: InboundMessage): Promise<void> {
    await this.call('POST', '/api/sendSeen', { session: this.options.session, chatId: `${message.contact.waId}@c.us` });
  }

  async downloadMedia(media: NonNullable<InboundMessage['media']>, signal?: AbortSignal, maxBytes = MAX_MEDIA_BYTES): Promise<DownloadedMedia> {
    if (!media.url) throw new SendFailure('The WAHA media has no URL', false, undefined);
    const response = await this.fetch(this.mediaUrl(media.url), { headers: { 'x-api-key': this.options.apiKey } }, signal);
    const declared = Number(response.headers.get('content-length'));
    const limit = `the ${Math.round(maxBytes / 1024 / 1024)} MB limit`;
    if (declared > maxBytes) throw new SendFailure(`The media is ${declared} bytes, over ${limit}`, false, undefined);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new SendFailure(`The media is over ${limit}`, false, undefined);
    return { bytes, mimeType: response.headers.get('content-type') ?? media.mimeType };
  }

  /**
   * The API key goes to WAHA only. WAHA writes media URLs with its own idea of its address (often
   * http://localhost:3000), which Parley may know under another: its files path is fetched from the
   * configured WAHA_URL; a URL elsewhere is refused rather than sent the key.
   */
  private mediaUrl(given: string): string {
    const configured = new URL(this.options.url);
    const url = new URL(given, configured);
    if (url.origin === configured.origin) return url.href;
    if (url.pathname.startsWith('/api/files/')) return new URL(`${url.pathname}${url.search}`, configured).href;
    throw new SendFailure(`The WAHA media URL ${url.origin}${url.pathname} is not on WAHA (${configured.origin}): not fetched with the API key`, false, undefined);
  }

  private async call(method: 'POST' | 'GET', path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(`${this.options.url}${path}`, {
      method,
      headers: { 'x-api-key': this.options.apiKey, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    try {
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Network errors, 429 and 5xx are worth retrying; other refusals are final and say what WAHA said. */
  private async fetch(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 20_000);
    let response: Response;
    try {
      response = await keepAliveFetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      throw new SendFailure(`Could not reach WAHA at ${this.options.url}: ${error instanceof Error ? error.message : String(error)}`, true, undefined);
    }
    if (response.ok) return response;
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    const hint = response.status === 401 ? ' (check WAHA_API_KEY)' : response.status === 422 ? ` (is the session "${this.options.session}" started and paired?)` : '';
    throw new SendFailure(`WAHA answered HTTP ${response.status}${hint}: ${detail}`, response.status === 429 || response.status >= 500, undefined);
  }
}

import { createHash } from 'node:crypto';
import type { WhatsAppTemplate } from '#protocol';
import { SendFailure, type DownloadedMedia, type InteractiveContent, type MessagingAdapter, type Recipient, type SentMessage, type VoiceNote } from '../adapter/messaging-adapter';
import { keepAliveFetch } from '../adapter/keep-alive-fetch';
import type { InboundMessage } from '../inbound/inbound-message';
import { graphFailure, networkFailure } from './graph-errors';

/** The part of `fetch` the client uses: the simulator passes its in-process Graph stand-in here. */
export type GraphFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface GraphClientOptions {
  graphUrl: string;
  graphVersion: string;
  phoneNumberId: string;
  accessToken: string;
  fetch?: GraphFetch;
  /** Per request; the webhook's answer does not wait on these, a turn's reply does. */
  timeoutMs?: number;
}

/** Audio 16 MB: the largest media the bridge takes in unless told otherwise (documents may be larger). */
const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/** The Meta WhatsApp Cloud API (Graph): send, mark read, download media. */
export class GraphClient implements MessagingAdapter {
  readonly name = 'cloud' as const;
  private readonly fetch: GraphFetch;

  constructor(private readonly options: GraphClientOptions) {
    this.fetch = options.fetch ?? keepAliveFetch;
  }

  async sendText(to: Recipient, text: string, options: { replyTo?: string } = {}): Promise<SentMessage> {
    return this.sendMessage({
      recipient_type: 'individual',
      to: to.waId,
      type: 'text',
      text: { body: text, preview_url: false },
      ...(options.replyTo ? { context: { message_id: options.replyTo } } : {}),
    });
  }

  /** Uploads the note (`POST /{phone-number-id}/media`, multipart), then sends it by id as a voice note. */
  async sendVoice(to: Recipient, note: VoiceNote): Promise<SentMessage> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', note.mimeType);
    form.append('file', new Blob([new Uint8Array(note.bytes)], { type: note.mimeType }), 'voice-note.ogg');
    const uploaded = (await this.request('POST', `${this.options.phoneNumberId}/media`, form)) as { id?: string };
    if (!uploaded?.id) throw new SendFailure('The WhatsApp API accepted the voice note upload but returned no media id', false, undefined);
    return this.sendMessage({ recipient_type: 'individual', to: to.waId, type: 'audio', audio: { id: uploaded.id, voice: true } });
  }

  async sendInteractive(to: Recipient, content: InteractiveContent): Promise<SentMessage> {
    const action =
      content.type === 'button'
        ? { buttons: content.buttons.map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title } })) }
        : { button: content.button, sections: [{ title: 'Choices', rows: content.rows.map((row) => ({ id: row.id, title: row.title, ...(row.description ? { description: row.description } : {}) })) }] };
    return this.sendMessage({ recipient_type: 'individual', to: to.waId, type: 'interactive', interactive: { type: content.type, body: { text: content.body }, action } });
  }

  readonly sendTemplate = async (to: Recipient, template: WhatsAppTemplate): Promise<SentMessage> =>
    this.sendMessage({ recipient_type: 'individual', to: to.waId, type: 'template', template: { name: template.name, language: { code: template.language } } });

  async markRead(message: InboundMessage): Promise<void> {
    await this.post(`${this.options.phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: message.id,
      typing_indicator: { type: 'text' },
    });
  }

  async downloadMedia(media: NonNullable<InboundMessage['media']>, signal?: AbortSignal, maxBytes = MAX_MEDIA_BYTES): Promise<DownloadedMedia> {
    if (!media.id) throw new SendFailure('The media has no id to fetch', false, undefined);
    const info = (await this.request('GET', media.id, undefined, signal)) as { url?: string; mime_type?: string; sha256?: string; file_size?: number };
    if (!info.url) throw new SendFailure(`Graph returned no URL for media ${media.id}`, false, undefined);
    const limit = `the ${Math.round(maxBytes / 1024 / 1024)} MB limit`;
    if (info.file_size !== undefined && info.file_size > maxBytes) throw new SendFailure(`Media ${media.id} is ${info.file_size} bytes, over ${limit}`, false, undefined);
    let response: Response;
    try {
      response = await this.fetch(info.url, { headers: { authorization: `Bearer ${this.options.accessToken}` }, signal: this.signal(signal) });
    } catch (error) {
      throw networkFailure(error);
    }
    if (!response.ok) throw graphFailure(response.status, await response.json().catch(() => undefined));
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new SendFailure(`Media ${media.id} is over ${limit}`, false, undefined);
    const expected = (media.sha256 ?? info.sha256)?.toLowerCase();
    if (expected) {
      const hex = createHash('sha256').update(bytes).digest('hex');
      const base64 = createHash('sha256').update(bytes).digest('base64');
      // Meta documents hex; some payloads carry base64: accept either spelling of the same hash.
      if (hex !== expected && base64.toLowerCase() !== expected) throw new SendFailure(`Media ${media.id} failed its sha256 check (got ${hex})`, true, undefined);
    }
    return { bytes, mimeType: info.mime_type ?? media.mimeType };
  }

  private async sendMessage(message: Record<string, unknown>): Promise<SentMessage> {
    const answer = (await this.post(`${this.options.phoneNumberId}/messages`, { messaging_product: 'whatsapp', ...message })) as { messages?: Array<{ id?: string }> };
    const providerId = answer.messages?.[0]?.id;
    if (!providerId) throw new SendFailure('The WhatsApp API accepted the message but returned no message id', false, undefined);
    return { providerId };
  }

  private post(path: string, body: unknown): Promise<unknown> {
    return this.request('POST', path, body);
  }

  /** JSON, or a FormData (media upload) whose multipart content type fetch sets itself. */
  private async request(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.options.graphUrl}/${this.options.graphVersion}/${path}`;
    const json = body !== undefined && !(body instanceof FormData);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.options.accessToken}`, ...(json ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as FormData),
        signal: this.signal(signal),
      });
    } catch (error) {
      throw networkFailure(error);
    }
    const answer = await response.json().catch(() => undefined);
    if (!response.ok) throw graphFailure(response.status, answer);
    return answer;
  }

  private signal(outer: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 20_000);
    return outer ? AbortSignal.any([outer, timeout]) : timeout;
  }
}

import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { startFakeTranscriptionServer } from '../speech/stt/fake-transcription-server';
import { describeVoiceNote, voiceNote } from './voice-payloads';
import { eventually, startWhatsAppFixture, transcribeThrough, type WhatsAppFixture } from './whatsapp-fixture';

const HMAC_KEY = 'waha-hmac-key';
const API_KEY = 'waha-api-key';

interface WahaRequest {
  path: string;
  apiKey: string | undefined;
  body: Record<string, unknown>;
}

/** A fake WAHA: records every call, answers sends with a message id, serves files (voice notes) to the API key only. */
async function startFakeWaha(): Promise<{ url: string; requests: WahaRequest[]; issued: string[]; files: Map<string, { bytes: Buffer; mimeType: string }>; close(): Promise<void> }> {
  const requests: WahaRequest[] = [];
  const issued: string[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const apiKey = request.headers['x-api-key'] as string | undefined;
      if (request.method === 'GET' && request.url?.startsWith('/api/files/')) {
        requests.push({ path: request.url, apiKey, body: {} });
        const file = files.get(request.url.slice('/api/files/'.length));
        if (apiKey !== API_KEY) return void response.writeHead(401).end('{"message":"Unauthorized"}');
        if (!file) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
        return void response.end(file.bytes);
      }
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      requests.push({ path: request.url ?? '', apiKey, body });
      response.writeHead(201, { 'content-type': 'application/json' });
      const id = `true_${String(body.chatId)}_${randomUUID().replace(/-/g, '').toUpperCase()}`;
      const send = request.url === '/api/sendText' || request.url === '/api/sendVoice';
      if (send) issued.push(id);
      response.end(JSON.stringify(send ? { id } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    issued,
    files,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function wahaMessage(text: string, key: string, chat = '16505551234@c.us') {
  return { event: 'message', session: 'default', payload: { id: `false_${chat}_${key}`, timestamp: Math.floor(Date.now() / 1000), from: chat, fromMe: false, body: text, hasMedia: false, media: null } };
}

describe('WhatsApp bridge over WAHA', () => {
  let fixture: WhatsAppFixture;
  let waha: Awaited<ReturnType<typeof startFakeWaha>>;

  beforeEach(async () => {
    waha = await startFakeWaha();
    fixture = await startWhatsAppFixture({ environment: { WAHA_URL: waha.url, WAHA_API_KEY: API_KEY, WAHA_SESSION: 'default', WAHA_WEBHOOK_HMAC_KEY: HMAC_KEY } });
  });

  afterEach(async () => {
    await fixture.close();
    await waha.close();
  });

  const post = (body: unknown, signature?: string | null) => {
    const raw = Buffer.from(JSON.stringify(body));
    const hmac = signature === undefined ? createHmac('sha512', HMAC_KEY).update(raw).digest('hex') : signature;
    return fetch(`${fixture.backend.backend.publicUrl!}/webhooks/waha`, { method: 'POST', headers: { 'content-type': 'application/json', ...(hmac !== null ? { 'x-webhook-hmac': hmac } : {}) }, body: raw });
  };
  const sends = () => waha.requests.filter((request) => request.path === '/api/sendText');

  it('a WAHA message is answered through sendText with the API key', async () => {
    fixture.llm.enqueue(reply.text('Hello from WAHA 👋'));
    expect((await post(wahaMessage('Hi there', 'ABC123'))).status).toBe(200);
    await eventually('a sendText call', () => (sends().length ? true : undefined));
    expect(sends()[0]).toMatchObject({ apiKey: API_KEY, body: { session: 'default', chatId: '16505551234@c.us', text: 'Hello from WAHA 👋' } });
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body)).toContain('Hi there');
  });

  it('the same message under @lid and @c.us ids, and a re-delivery, are answered once; own messages never', async () => {
    fixture.llm.enqueue(reply.text('Once.', { firstTokenDelayMs: 200 }));
    await post(wahaMessage('dup', 'KEY42'));
    await post(wahaMessage('dup', 'KEY42', '16505551234@lid'));
    await post(wahaMessage('dup', 'KEY42'));
    await post({ event: 'message', session: 'default', payload: { id: 'true_16505551234@c.us_MINE', from: '16505551234@c.us', fromMe: true, body: 'mine', hasMedia: false } });
    await eventually('a sendText call', () => (sends().length ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(sends()).toHaveLength(1);
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });

  it('a missing or wrong X-Webhook-Hmac is refused with 401 and nothing is stored', async () => {
    expect((await post(wahaMessage('forged', 'F1'), null)).status).toBe(401);
    expect((await post(wahaMessage('forged', 'F2'), createHmac('sha512', 'other').update('x').digest('hex'))).status).toBe(401);
    expect((await fixture.backend.call('whatsapp.contacts.list', {})).contacts).toEqual([]);
  });

  it('a voice note is fetched from WAHA with the API key (its localhost URL taken to the configured WAHA), transcribed, and mirrored with sendVoice', async () => {
    const stt = await startFakeTranscriptionServer();
    try {
      await transcribeThrough(fixture, stt);
      await fixture.backend.call('settings.set', { key: 'whatsapp.voiceReplies', value: 'mirror' });
      const ogg = await voiceNote('Are you open on Sunday?');
      waha.files.set('note-1.oga', { bytes: ogg, mimeType: 'audio/ogg; codecs=opus' });
      stt.answer = { text: 'Are you open on Sunday?' };
      fixture.llm.enqueue(reply.text('Closed on Sundays.'));
      const event = wahaMessage('', 'VOICE1');
      // WAHA writes media URLs with its own idea of its address.
      Object.assign(event.payload, { hasMedia: true, media: { url: 'http://localhost:3000/api/files/note-1.oga', mimetype: 'audio/ogg; codecs=opus', filename: null } });
      expect((await post(event)).status).toBe(200);

      await eventually('a sendVoice call', () => (waha.requests.some((request) => request.path === '/api/sendVoice') ? true : undefined), 15_000);
      const download = waha.requests.find((request) => request.path === '/api/files/note-1.oga');
      expect(download?.apiKey).toBe(API_KEY);
      expect(stt.received).toHaveLength(1);
      expect(JSON.stringify(fixture.llm.chatRequests[0]!.body)).toContain('Are you open on Sunday?');
      const voice = waha.requests.find((request) => request.path === '/api/sendVoice')!;
      expect(voice).toMatchObject({ apiKey: API_KEY, body: { session: 'default', chatId: '16505551234@c.us', convert: false, file: { mimetype: 'audio/ogg; codecs=opus' } } });
      const sent = Buffer.from((voice.body.file as { data: string }).data, 'base64');
      expect(describeVoiceNote(sent)).toMatchObject({ channels: 1 });
      expect(sent.length).toBeLessThanOrEqual(512 * 1024);
      expect(sends()).toHaveLength(0);
    } finally {
      await stt.close();
    }
  });

  it('a media URL elsewhere than WAHA is not fetched with the API key', async () => {
    fixture.llm.enqueue(reply.text('I could not hear that one.'));
    const event = wahaMessage('', 'VOICE2');
    Object.assign(event.payload, { hasMedia: true, media: { url: 'http://evil.example/steal?x=1', mimetype: 'audio/ogg; codecs=opus', filename: null } });
    await post(event);
    await eventually('a sendText call', () => (sends().length ? true : undefined));
    const stored = (await fixture.backend.call('whatsapp.messages.list', { contactId: 'waha:16505551234' })).messages[0];
    expect(stored?.text).toContain('not on WAHA');
  });

  it('message.ack events advance the reply to delivered and read', async () => {
    fixture.llm.enqueue(reply.text('Tick tock.'));
    await post(wahaMessage('ticks?', 'T1'));
    await eventually('a sendText call', () => (sends().length ? true : undefined));
    const contactId = 'waha:16505551234';
    const outbound = async () => (await fixture.backend.call('whatsapp.messages.list', { contactId })).messages.find((message) => message.direction === 'out');
    await eventually('the reply sent', async () => ((await outbound())?.status === 'sent' ? true : undefined));
    // Acked under the @lid form of the chat id: matched by the message key all the same.
    const id = waha.issued[0]!.replace('@c.us', '@lid');
    expect((await post({ event: 'message.ack', session: 'default', payload: { id, ack: 3, ackName: 'READ' } })).status).toBe(200);
    expect((await post({ event: 'message.ack', session: 'default', payload: { id, ack: 2, ackName: 'DEVICE' } })).status).toBe(200);
    await eventually('the reply read', async () => ((await outbound())?.status === 'read' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await outbound())?.status).toBe('read');
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });
});

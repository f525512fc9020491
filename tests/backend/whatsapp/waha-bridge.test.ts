import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { metricValue } from '../../support/stage-metrics';
import { startFakeTranscriptionServer } from '../speech/stt/fake-transcription-server';
import { signWaha, startFakeWaha, wahaEnvironment, wahaMessage, WAHA_API_KEY as API_KEY, type FakeWahaServer } from './fake-waha-server';
import { describeVoiceNote, voiceNote } from './voice-payloads';
import { eventually, startWhatsAppFixture, transcribeThrough, type WhatsAppFixture } from './whatsapp-fixture';

describe('WhatsApp bridge over WAHA', () => {
  let fixture: WhatsAppFixture;
  let waha: FakeWahaServer;

  beforeEach(async () => {
    waha = await startFakeWaha();
    fixture = await startWhatsAppFixture({ environment: wahaEnvironment(waha) });
  });

  afterEach(async () => {
    await fixture.close();
    await waha.close();
  });

  const post = (body: unknown, signature?: string | null, raw = Buffer.from(JSON.stringify(body))) => {
    const hmac = signature === undefined ? signWaha(raw) : signature;
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

  const contactMessages = async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: 'waha:16505551234' })).messages;

  it('three quick messages from one contact are answered in order, one turn at a time', async () => {
    fixture.llm.enqueue(reply.text('Answer A.', { firstTokenDelayMs: 400 }), reply.text('Answer B.', { firstTokenDelayMs: 100 }));
    const now = Math.floor(Date.now() / 1000);
    await post(wahaMessage('first', 'Q1', undefined, now));
    await fixture.llm.waitForChatRequests(1);
    // While the first turn runs: the third is delivered before the second.
    await post(wahaMessage('third', 'Q3', undefined, now + 2));
    await post(wahaMessage('second', 'Q2', undefined, now + 1));
    await eventually('two replies', () => waha.sentTexts().length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(waha.sentTexts()).toEqual(['Answer A.', 'Answer B.']);
    const userTexts = fixture.llm.chatRequests.map((request) => {
      const messages = (request.body as { messages: Array<{ role: string; content: unknown }> }).messages.filter((message) => message.role === 'user');
      return String(messages[messages.length - 1]?.content);
    });
    // The two that arrived during the first turn are one turn, in the contact's order.
    expect(userTexts).toEqual(['first', 'second\n\nthird']);
    // One at a time: the second turn started after the first reply was sent.
    expect(fixture.llm.chatRequests[1]!.receivedAt).toBeGreaterThanOrEqual(sends()[0]!.at);
    expect((await contactMessages()).filter((message) => message.direction === 'in').map((message) => message.status)).toEqual(['answered', 'answered', 'answered']);
  });

  it('a send WAHA refuses for now (5xx, 429) is retried later and delivered; one it refuses for good fails with what to do', async () => {
    waha.failNextSends(503, 429);
    fixture.llm.enqueue(reply.text('Eventually.'));
    await post(wahaMessage('ping', 'R1'));
    await eventually('the reply sent', async () => ((await contactMessages()).find((message) => message.direction === 'out')?.status === 'sent' ? true : undefined), 20_000);
    expect(sends().map((send) => send.body.text)).toEqual(['Eventually.', 'Eventually.', 'Eventually.']);
    // Later, not in a tight loop.
    expect(sends()[1]!.at - sends()[0]!.at).toBeGreaterThanOrEqual(500);
    expect(fixture.llm.chatRequests).toHaveLength(1);

    // 422: the session is not started; retrying cannot help.
    waha.failNextSends(422);
    fixture.llm.enqueue(reply.text('Never arrives.'));
    await post(wahaMessage('pong', 'R2'));
    const failed = await eventually('the reply marked failed', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'failed'));
    expect(failed.error).toContain('422');
    expect(failed.error).toContain('session "default" started and paired');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sends()).toHaveLength(4);
  }, 30_000);

  it('malformed webhooks get a 4xx or a logged skip, never a crash', async () => {
    const raw = (text: string) => post(undefined, undefined, Buffer.from(text));
    expect((await raw('{"event": "message", ')).status).toBe(400);
    expect((await raw('["a list"]')).status).toBe(400);
    // JSON, signed, but no WAHA event: answered 200 (WAHA retries what fails), skipped as malformed when consumed.
    expect((await raw('{"payload": {}}')).status).toBe(200);
    await eventually('skipped as malformed', async () => (await metricValue(fixture.backend, 'parley_whatsapp_webhooks_total{outcome="malformed"}')) === 3);
    // Events it does not handle, and messages without the fields it needs: answered 200 and skipped.
    expect((await post({ event: 'session.status', session: 'default', payload: { status: 'WORKING' } })).status).toBe(200);
    expect((await post({ event: 'message', session: 'default', payload: { id: 'false_x@c.us_NOFROM', fromMe: false, body: 'who am I?' } })).status).toBe(200);
    expect((await post({ event: 'message', session: 'default' })).status).toBe(200);
    expect((await post({ ...wahaMessage('another session', 'S1'), session: 'other' })).status).toBe(200);
    // 5 MB: refused before it is read whole.
    expect((await raw(' '.repeat(5 * 1024 * 1024))).status).toBe(413);
    // Still serving, and none of the above became a message or a turn.
    fixture.llm.enqueue(reply.text('Still here.'));
    await post(wahaMessage('are you ok?', 'OK1'));
    await eventually('a sendText call', () => waha.sentTexts().length === 1);
    expect(waha.sentTexts()).toEqual(['Still here.']);
    expect(fixture.llm.chatRequests).toHaveLength(1);
    expect((await fixture.backend.call('whatsapp.contacts.list', {})).contacts.map((contact) => contact.id)).toEqual(['waha:16505551234']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { metricValue, stageCounts } from '../../support/stage-metrics';
import { signCloud, statusUpdate, textMessage, typedMessage, VERIFY_TOKEN } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

describe('WhatsApp Cloud API bridge', () => {
  let fixture: WhatsAppFixture;

  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
  });

  afterEach(async () => {
    await fixture.close();
  });

  const contactMessages = async (contactId = '16505551234') => (await fixture.backend.call('whatsapp.messages.list', { contactId })).messages;

  it('answers Meta’s verification GET with the challenge, and refuses a wrong verify token', async () => {
    const ok = await fetch(`${fixture.webhookUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${fixture.webhookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it('a text message is acknowledged, answered by the agent and the reply sent to the contact', async () => {
    fixture.llm.enqueue(reply.text('Hello Kerry! We open at 9. 🙂'));
    const { payload, id } = textMessage('When do you open? ¿Mañana? 🕘');
    const response = await fixture.deliver(payload);
    expect(response.status).toBe(200);
    // Answered once spooled, before any AI work.
    expect(await response.json()).toEqual({ received: true });

    const [send] = await fixture.graph.waitForSends(1);
    expect(send!.authorization).toBe('Bearer test-access-token');
    expect(send!.path).toBe('/v25.0/106540352242922/messages');
    expect(send!.body).toMatchObject({ messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'Hello Kerry! We open at 9. 🙂' } });
    // The agent saw the contact's words, emoji and accents intact.
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body)).toContain('When do you open? ¿Mañana? 🕘');

    const messages = await eventually('the reply marked sent', async () => {
      const list = await contactMessages();
      return list.some((message) => message.direction === 'out' && message.status === 'sent') ? list : undefined;
    });
    expect(messages.map((message) => [message.direction, message.status])).toEqual([
      ['in', 'answered'],
      ['out', 'sent'],
    ]);
    expect(messages[0]!.id).toBe(id);
    // Marked read with the typing indicator on receipt.
    expect(fixture.graph.requests.some((request) => request.body?.status === 'read' && request.body.message_id === id)).toBe(true);
    // The ACK is measured as the whatsapp_ack stage in /metrics.
    expect(await stageCounts(fixture.backend)).toMatchObject({ whatsapp_ack: 1 });
  });

  it('the same delivery twice (and concurrently) is answered once', async () => {
    fixture.llm.enqueue(reply.text('Only once.', { firstTokenDelayMs: 200 }));
    const { payload } = textMessage('Hi');
    const raw = Buffer.from(JSON.stringify(payload));
    const answers = await Promise.all([fixture.deliver(payload, { raw }), fixture.deliver(payload, { raw }), fixture.deliver(payload, { raw })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await fixture.graph.waitForSends(1);
    // One job in the contact's queue: the other two deliveries were dropped by the message id.
    expect((await fixture.backend.call('diagnostics.jobs', { queue: 'whatsapp.contact' })).jobs).toHaveLength(1);
    // A late re-delivery, after the answer went out.
    expect((await fixture.deliver(payload, { raw })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fixture.graph.sentTexts()).toEqual(['Only once.']);
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });

  it('a missing or wrong signature is refused with 401 and nothing is stored', async () => {
    const { payload } = textMessage('forged');
    expect((await fixture.deliver(payload, { signature: null })).status).toBe(401);
    expect((await fixture.deliver(payload, { signature: signCloud(JSON.stringify(payload), 'another-secret') })).status).toBe(401);
    expect((await fixture.deliver(payload, { signature: 'sha256=zz' })).status).toBe(401);
    // Signed over other bytes (re-serialised JSON with escaped non-ASCII) does not pass either.
    const reserialised = JSON.stringify(payload).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const { payload: accented } = textMessage('Grüße 😀');
    const accentedRaw = Buffer.from(JSON.stringify(accented));
    expect((await fixture.deliver(accented, { raw: accentedRaw, signature: signCloud(reserialised) })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fixture.backend.call('whatsapp.contacts.list', {})).contacts).toEqual([]);
    expect((await fixture.backend.call('diagnostics.jobs', { queue: 'whatsapp.contact' })).jobs).toEqual([]);
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });

  it('a status advances the outbound message and never starts a turn', async () => {
    fixture.llm.enqueue(reply.text('Reply one.'));
    await fixture.deliver(textMessage('Hello').payload);
    await fixture.graph.waitForSends(1);
    const sent = await eventually('a sent reply', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'sent'));
    const wamid = fixture.graph.wamids[0]!;
    expect((await fixture.deliver(statusUpdate(wamid, 'read'))).status).toBe(200);
    // Out of order: "delivered" after "read" must not move it back.
    expect((await fixture.deliver(statusUpdate(wamid, 'delivered'))).status).toBe(200);
    await eventually('the reply marked read', async () => (await contactMessages()).find((message) => message.id === sent.id && message.status === 'read'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await contactMessages()).find((message) => message.id === sent.id)!.status).toBe('read');
    expect(fixture.llm.chatRequests).toHaveLength(1);
    expect(fixture.graph.sends()).toHaveLength(1);
  });

  it('a status that overtakes the answer to its send is applied once the send is recorded', async () => {
    fixture.llm.enqueue(reply.text('Slow to confirm.'));
    // Graph answers the send late; Meta's status webhooks for the id it issued come first.
    fixture.graph.sendDelayMs = 600;
    await fixture.deliver(textMessage('Hello').payload);
    const wamid = await eventually('the send in flight', () => fixture.graph.wamids[0]);
    expect((await fixture.deliver(statusUpdate(wamid, 'delivered'))).status).toBe(200);
    await eventually('the status consumed while the send waits', async () => (await metricValue(fixture.backend, 'parley_whatsapp_webhooks_total{outcome="accepted"}')) >= 2 && (await contactMessages()).every((message) => message.status !== 'delivered'));
    const delivered = await eventually('the reply marked delivered', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'delivered'));
    expect(delivered.text).toBe('Slow to confirm.');
    expect(await stageCounts(fixture.backend)).toMatchObject({ whatsapp_delivery: 1 });
  });

  it('three quick messages from one contact are answered in order, one turn at a time', async () => {
    fixture.llm.enqueue(reply.text('Answer A.', { firstTokenDelayMs: 400 }), reply.text('Answer B.', { firstTokenDelayMs: 100 }));
    const now = Math.floor(Date.now() / 1000);
    await fixture.deliver(textMessage('first', { timestamp: now }).payload);
    await fixture.llm.waitForChatRequests(1);
    // While the first turn runs: the third is delivered before the second (Meta does not keep order).
    await fixture.deliver(textMessage('third', { timestamp: now + 2 }).payload);
    await fixture.deliver(textMessage('second', { timestamp: now + 1 }).payload);
    await fixture.graph.waitForSends(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fixture.graph.sentTexts()).toEqual(['Answer A.', 'Answer B.']);
    const [first, second] = fixture.llm.chatRequests;
    expect(lastUserText(first!)).toBe('first');
    // The two that arrived during the first turn are one turn, in the contact's order.
    expect(lastUserText(second!)).toBe('second\n\nthird');
    // One at a time: the second turn started after the first reply was sent.
    expect(second!.receivedAt).toBeGreaterThanOrEqual(fixture.graph.sends()[0]!.at);
    expect((await contactMessages()).filter((message) => message.direction === 'in').map((message) => message.status)).toEqual(['answered', 'answered', 'answered']);
  });

  it('131047 (window closed) sends the configured template', async () => {
    await fixture.backend.call('settings.set', { key: 'whatsapp.template', value: { name: 'follow_up', language: 'en_US' } });
    fixture.graph.failNext({ status: 400, code: 131047, message: 'Message failed to send because more than 24 hours have passed', type: 'text' });
    fixture.llm.enqueue(reply.text('Late answer.'));
    await fixture.deliver(textMessage('hello?').payload);
    const sends = await fixture.graph.waitForSends(2);
    expect(sends.map((send) => send.body?.type)).toEqual(['text', 'template']);
    expect(sends[1]!.body).toMatchObject({ to: '16505551234', template: { name: 'follow_up', language: { code: 'en_US' } } });
    const out = await eventually('the reply marked sent as a template', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'sent'));
    expect(out.kind).toBe('template');
  });

  it('131047 without a template marks the conversation "window closed" for the operator', async () => {
    fixture.graph.failNext({ status: 400, code: 131047, message: 'Re-engagement message', type: 'text' });
    fixture.llm.enqueue(reply.text('Late answer.'));
    await fixture.deliver(textMessage('hello?').payload);
    const failed = await eventually('the reply marked failed', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'failed'));
    expect(failed.error).toContain('131047');
    expect(failed.error).toContain('Window closed');
    const { contacts } = await fixture.backend.call('whatsapp.contacts.list', {});
    expect(contacts[0]!.windowClosed).toBe(true);
    expect(fixture.graph.sends()).toHaveLength(1);
  });

  it('130429 (throughput) is retried later and delivered', async () => {
    fixture.graph.failNext({ status: 400, code: 130429, message: 'Rate limit hit', type: 'text' });
    fixture.llm.enqueue(reply.text('Eventually.'));
    await fixture.deliver(textMessage('ping').payload);
    const sends = await fixture.graph.waitForSends(2, 15_000);
    expect(sends.map((send) => (send.body?.text as { body: string }).body)).toEqual(['Eventually.', 'Eventually.']);
    // Later, not in a tight loop.
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(500);
    await eventually('the reply marked sent', async () => (await contactMessages()).find((message) => message.direction === 'out' && message.status === 'sent'));
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });

  it('replies are paced to the number’s throughput tier set in the panel, which counts the messages received too', async () => {
    // Tier 1: one message a second on the number, received or sent, whoever it is from or to.
    await fixture.backend.call('settings.set', { key: 'whatsapp.messagesPerSecond', value: 1 });
    for (const from of ['15550000001', '15550000002', '15550000003']) await fixture.deliver(textMessage(`hi from ${from}`, { from }).payload);
    const receivedAt = Date.now();
    const sends = await fixture.graph.waitForSends(3);
    expect(new Set(sends.map((send) => send.body?.to))).toEqual(new Set(['15550000001', '15550000002', '15550000003']));
    // The three received messages used the second they came in and (capped) the next: no send before it.
    expect(sends[0]!.at - receivedAt).toBeGreaterThanOrEqual(1_500);
    const gaps = sends.slice(1).map((send, index) => send.at - sends[index]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
  });

  it('a location is answered politely by default; the types the operator chose are only recorded in the inbox', async () => {
    fixture.llm.enqueue(reply.text('Thanks, we will find you there.'));
    await fixture.deliver(typedMessage('location', { latitude: 52.52, longitude: 13.405, name: 'Alexanderplatz', address: 'Berlin' }).payload);
    await fixture.graph.waitForSends(1);
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body)).toContain('(shared a location: Alexanderplatz, Berlin)');

    await fixture.backend.call('settings.set', { key: 'whatsapp.unansweredKinds', value: ['reaction', 'location', 'unsupported'] });
    const location = typedMessage('location', { latitude: 48.85, longitude: 2.35 });
    const order = typedMessage('order', { catalog_id: '1', product_items: [] });
    await fixture.deliver(location.payload);
    await fixture.deliver(order.payload);
    const settled = await eventually('both recorded and settled', async () => {
      const inbound = (await contactMessages()).filter((message) => message.id === location.id || message.id === order.id);
      return inbound.length === 2 && inbound.every((message) => message.status === 'skipped') ? inbound : undefined;
    });
    expect(settled.map((message) => message.kind).sort()).toEqual(['location', 'order']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fixture.llm.chatRequests).toHaveLength(1);
    expect(fixture.graph.sends()).toHaveLength(1);
    // A type outside the list is answered again, told what came.
    fixture.llm.enqueue(reply.text('Nice sticker!'));
    await fixture.deliver(typedMessage('sticker', { id: 'media-1', mime_type: 'image/webp' }).payload);
    await fixture.graph.waitForSends(2);
    expect(JSON.stringify(fixture.llm.chatRequests[1]!.body)).toContain('sent a sticker message');
  });

  it('a reply longer than 4,096 characters goes out as several messages cut at sentence ends', async () => {
    const sentence = 'This sentence is part of a long answer. ';
    const long = sentence.repeat(150).trim();
    fixture.llm.enqueue(reply.text(long));
    await fixture.deliver(textMessage('tell me everything').payload);
    await fixture.graph.waitForSends(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = fixture.graph.sentTexts();
    expect(texts.length).toBe(2);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text.endsWith('answer.')).toBe(true);
    }
    expect(texts.join(' ')).toBe(long);
  });

  it('malformed webhooks get a 4xx or a logged skip, never a crash', async () => {
    const post = (raw: Buffer) => fixture.deliver(undefined, { raw });
    expect((await post(Buffer.from('{"object": "whatsapp_business_account", '))).status).toBe(400);
    expect((await post(Buffer.from('[]'))).status).toBe(400);
    // Counted when the listener's thread reports the answer to the main thread, just after the answer went out.
    await eventually('both refusals counted as malformed', async () => (await metricValue(fixture.backend, 'parley_whatsapp_webhooks_total{outcome="malformed"}')) === 2);
    // Not a WhatsApp envelope, though JSON: answered 200 (Meta would retry a 4xx for days), then skipped as malformed when consumed.
    expect((await post(Buffer.from('{"entry": 5}'))).status).toBe(200);
    await eventually('the envelope skipped as malformed', async () => (await metricValue(fixture.backend, 'parley_whatsapp_webhooks_total{outcome="malformed"}')) === 3);
    // Unknown types and missing fields: skipped or recorded, answered 200 so Meta does not retry forever.
    const odd = {
      object: 'whatsapp_business_account',
      entry: [
        { changes: [{ field: 'messages', value: { messages: [{ id: 'wamid.no-from', timestamp: '1', type: 'text', text: { body: 'x' } }] } }] },
        { changes: [{ field: 'messages', value: { messages: [{ from: '1555', id: 'wamid.no-body', timestamp: '1', type: 'text' }] } }] },
        { changes: [{ field: 'messages', value: { contacts: [{ wa_id: '1555' }], messages: [{ from: '1555', id: 'wamid.reaction', timestamp: '1', type: 'reaction', reaction: { message_id: 'x', emoji: '👍' } }] } }] },
        { changes: [{ field: 'account_update', value: {} }] },
        { changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.unknown', status: 'delivered' }, { status: 'weird' }] } }] },
      ],
    };
    expect((await fixture.deliver(odd)).status).toBe(200);
    // 5 MB: refused before it is read whole.
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20);
    expect((await post(huge)).status).toBe(413);
    // Still serving: a normal message is answered.
    fixture.llm.enqueue(reply.text('Still here.'));
    await fixture.deliver(textMessage('are you ok?').payload);
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sentTexts()).toEqual(['Still here.']);
    // The reaction was recorded and not answered.
    const reaction = (await fixture.backend.call('whatsapp.messages.list', { contactId: '1555' })).messages;
    await eventually('the reaction settled', async () => ((await fixture.backend.call('whatsapp.messages.list', { contactId: '1555' })).messages[0]?.status === 'skipped' ? true : undefined));
    expect(reaction).toHaveLength(1);
  });
});

function lastUserText(request: { body?: unknown }): string {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  return messages.filter((message) => message.role === 'user').pop()!.content;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { stageCounts } from '../../support/stage-metrics';
import { statusUpdate, textMessage } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

describe('WhatsApp access control: allow and block lists, the per-contact rate limit', () => {
  let fixture: WhatsAppFixture;
  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
  });
  afterEach(async () => fixture.close());

  const set = (key: string, value: unknown) => fixture.backend.call('settings.set', { key, value } as never);
  const contacts = async () => (await fixture.backend.call('whatsapp.contacts.list', {})).contacts;

  it('a blocked number is acknowledged (so Meta stops retrying) and dropped: nothing stored, no turn', async () => {
    await set('whatsapp.blockList', ['+1 650 555-1234']);
    const answer = await fixture.deliver(textMessage('let me in', { from: '16505551234' }).payload);
    expect(answer.status).toBe(200);
    fixture.llm.enqueue(reply.text('Hello other.'));
    await fixture.deliver(textMessage('hello', { from: '16505550000' }).payload);
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sends()[0]!.body).toMatchObject({ to: '16505550000' });
    expect((await contacts()).map((contact) => contact.waId)).toEqual(['16505550000']);
    expect((await fixture.backend.call('diagnostics.jobs', { queue: 'whatsapp.contact' })).jobs).toHaveLength(1);
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });

  it('with an allow list, only its numbers and prefixes are answered; the block list still wins', async () => {
    await set('whatsapp.allowList', ['+44*', '16505551234']);
    await set('whatsapp.blockList', ['+447700900999']);
    fixture.llm.enqueue(reply.text('One.'), reply.text('Two.'));
    for (const from of ['16505551234', '447700900123', '4915112345678', '447700900999']) expect((await fixture.deliver(textMessage('hi', { from }).payload)).status).toBe(200);
    await fixture.graph.waitForSends(2);
    // The refused two were acknowledged and dropped: no contact, no job.
    expect(new Set((await contacts()).map((contact) => contact.waId))).toEqual(new Set(['16505551234', '447700900123']));
    expect((await fixture.backend.call('diagnostics.jobs', { queue: 'whatsapp.contact' })).jobs).toHaveLength(2);
    expect(new Set(fixture.graph.sends().map((send) => send.body?.to))).toEqual(new Set(['16505551234', '447700900123']));
  });

  it('past the rate limit a contact is told once, then not answered; every message stays in the inbox', async () => {
    await set('whatsapp.rateLimitPerMinute', 2);
    // The first turn is slow, so what arrives meanwhile queues behind it.
    fixture.llm.enqueue(reply.text('First answer.', { firstTokenDelayMs: 300 }), reply.text('Second answer.'));
    const now = Math.floor(Date.now() / 1000);
    for (const [index, text] of ['one', 'two', 'three', 'four', 'five'].entries()) {
      const answer = await fixture.deliver(textMessage(text, { timestamp: now + index }).payload);
      expect(answer.status).toBe(200);
    }
    const thread = await eventually(
      'all five settled',
      async () => {
        const messages = (await fixture.backend.call('whatsapp.messages.list', { contactId: '16505551234' })).messages;
        const inbound = messages.filter((message) => message.direction === 'in');
        return inbound.length === 5 && inbound.every((message) => message.status !== 'received') && messages.filter((message) => message.direction === 'out' && message.status === 'sent').length === 3 ? messages : undefined;
      },
      15_000,
    );
    const inbound = thread.filter((message) => message.direction === 'in');
    expect(inbound.map((message) => [message.text, message.status])).toEqual([
      ['one', 'answered'],
      ['two', 'answered'],
      ['three', 'skipped'],
      ['four', 'skipped'],
      ['five', 'skipped'],
    ]);
    expect(inbound[2]!.error).toContain('rate limit of 2 messages a minute');
    // Two answers and the one notice; the model never saw three, four or five.
    const texts = fixture.graph.sentTexts();
    expect(texts).toHaveLength(3);
    expect(texts.filter((text) => text.includes('faster than I can answer'))).toHaveLength(1);
    const userTexts = fixture.llm.chatRequests.flatMap((request) => (request.body?.messages as Array<{ role: string; content: string }>).filter((message) => message.role === 'user').map((message) => message.content));
    expect(userTexts).toEqual(['one', 'one', 'two']);
  });

  it('a sent reply’s first "delivered" status is timed from the send (whatsapp_delivery stage), once', async () => {
    fixture.llm.enqueue(reply.text('Delivered soon.'));
    await fixture.deliver(textMessage('ping').payload);
    await fixture.graph.waitForSends(1);
    await eventually('the reply marked sent', async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: '16505551234' })).messages.some((message) => message.status === 'sent'));
    const wamid = fixture.graph.wamids[0]!;
    await fixture.deliver(statusUpdate(wamid, 'delivered'));
    await fixture.deliver(statusUpdate(wamid, 'read'));
    await fixture.deliver(statusUpdate(wamid, 'delivered'));
    expect((await stageCounts(fixture.backend)).whatsapp_delivery).toBe(1);
  });
});

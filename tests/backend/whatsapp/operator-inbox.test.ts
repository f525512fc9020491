import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { textMessage } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

describe('WhatsApp operator inbox', () => {
  let fixture: WhatsAppFixture;
  const contactId = '16505551234';

  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
  });

  afterEach(async () => {
    await fixture.close();
  });

  const thread = async (id = contactId) => (await fixture.backend.call('whatsapp.messages.list', { contactId: id })).messages;

  it('an inbound message shows up live; take over silences the agent, the operator’s reply is sent, release hands back', async () => {
    const socket = await fixture.openSocket();
    fixture.llm.enqueue(reply.text('Agent here.'));
    await fixture.deliver(textMessage('Hello').payload);
    await socket.waitForEvent('whatsapp.changed');
    const [contact] = (await fixture.backend.call('whatsapp.contacts.list', {})).contacts;
    expect(contact).toMatchObject({ id: contactId, name: 'Kerry Fisher', unread: 1, lastText: 'Hello' });
    await fixture.graph.waitForSends(1);

    await fixture.backend.call('whatsapp.contacts.takeOver', { contactId, takenOver: true });
    await fixture.deliver(textMessage('I want a person').payload);
    await eventually('the message held for the operator', async () => (await thread()).find((message) => message.text === 'I want a person' && message.status === 'held'));
    const { messages } = await fixture.backend.call('whatsapp.reply', { contactId, text: 'Hi, this is Sam from support.' });
    expect(messages[0]).toMatchObject({ author: 'operator', status: 'pending' });
    await fixture.graph.waitForSends(2);
    expect(fixture.graph.sentTexts()).toEqual(['Agent here.', 'Hi, this is Sam from support.']);
    expect(fixture.llm.chatRequests).toHaveLength(1);

    await fixture.backend.call('whatsapp.contacts.takeOver', { contactId, takenOver: false });
    fixture.llm.enqueue(reply.text('Agent again.'));
    await fixture.deliver(textMessage('thanks').payload);
    await fixture.graph.waitForSends(3);
    expect(fixture.graph.sentTexts()[2]).toBe('Agent again.');
    await fixture.backend.call('whatsapp.contacts.markRead', { contactId });
    expect((await fixture.backend.call('whatsapp.contacts.list', {})).contacts[0]!.unread).toBe(0);
  });

  it('an opt-out keyword ends all messages to that contact, operator replies included', async () => {
    await fixture.deliver(textMessage('stop').payload);
    await eventually('the contact opted out', async () => (await fixture.backend.call('whatsapp.contacts.list', {})).contacts[0]?.optedOut || undefined);
    await fixture.deliver(textMessage('hello again').payload);
    await eventually('the later message skipped', async () => (await thread()).find((message) => message.text === 'hello again' && message.status === 'skipped'));
    await expect(fixture.backend.call('whatsapp.reply', { contactId, text: 'Are you sure?' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(fixture.llm.chatRequests).toHaveLength(0);
    expect(fixture.graph.sends()).toHaveLength(0);
  });

  it('the agent hands off by itself when asked for a human: the contact is taken over', async () => {
    fixture.llm.enqueue(reply.toolCall('whatsapp_handoff', { reason: 'asked for a person' }), reply.text('A colleague will answer you shortly.'));
    await fixture.deliver(textMessage('Can I talk to a human?').payload);
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sentTexts()).toEqual(['A colleague will answer you shortly.']);
    expect((await fixture.backend.call('whatsapp.contacts.list', {})).contacts[0]!.takenOver).toBe(true);
    // The handoff tool was offered on the WhatsApp channel.
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body?.tools)).toContain('whatsapp_handoff');
  });

  it('the simulator contact goes through the signed webhook, the queue and the sender, and its reply is read', async () => {
    fixture.llm.enqueue(reply.text('Hi from the agent!'));
    const { contactId: simulator, messageId } = await fixture.backend.call('whatsapp.simulator.send', { text: 'Hello bridge' });
    expect(simulator).toBe('simulator:15550000000');
    expect(messageId).toMatch(/^wamid\./);
    const answered = await eventually('the simulator reply read', async () => (await thread(simulator)).find((message) => message.direction === 'out' && message.status === 'read'), 15_000);
    expect(answered.text).toBe('Hi from the agent!');
    // It went to the built-in stand-in, never to the configured Graph API.
    expect(fixture.graph.requests).toHaveLength(0);
    const jobs = (await fixture.backend.call('diagnostics.jobs', { queue: 'whatsapp.contact' })).jobs;
    expect(jobs.some((job) => job.serialKey === 'contact:simulator:15550000000' && job.status === 'done')).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBookingServer, type BookingServer } from '../../../resources/actions/demo-booking/booking-server.mjs';
import { reply } from '../../support/scripted-openai-server';
import { toolResultsOf } from '../actions/actions-fixture';
import { envelope, textMessage } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

const BOOKING = { body: { serviceId: 'oil-change', slotId: 'north-2027-01-05-9', car: { plate: 'AB-123-CD', model: 'VW Golf' }, customerName: 'Ann Lee' } };
const CONTACT = '16505551234';

/** The contact taps a reply button, as Meta delivers it. */
function buttonReply(id: string, title: string) {
  return envelope({
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: CONTACT }],
    messages: [{ from: CONTACT, id: `wamid.tap.${Math.random()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }],
  });
}

/**
 * The demo garage's booking API as an action the agent may call for WhatsApp contacts, with
 * confirmation on: the contact is asked with reply buttons and the booking is made only on Confirm.
 */
describe('confirmation on WhatsApp: booking through the demo garage API', () => {
  let fixture: WhatsAppFixture;
  let garage: BookingServer;

  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
    garage = await startBookingServer();
    await fixture.backend.call('actions.importOpenApi', { url: `${garage.url}/openapi.json` });
    await fixture.backend.call('actions.setPolicy', { tool: 'createBooking', channels: ['console', 'whatsapp'], confirm: true });
  });

  afterEach(async () => {
    await fixture.close();
    await garage.close();
  });

  const posts = () => garage.requests.filter((request) => request.method === 'POST');
  const thread = async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: CONTACT })).messages;

  /** Asks for the booking; resolves with the Confirm and Cancel button ids the contact got. */
  async function askToBook(answer: string): Promise<{ confirm: string; cancel: string }> {
    fixture.llm.enqueue(reply.toolCall('createBooking', BOOKING, { id: 'book' }), reply.text(answer));
    await fixture.deliver(textMessage('Book an oil change for my Golf AB-123-CD on 5 January at 9, north branch. Ann Lee.').payload);
    const [question] = await fixture.graph.waitForSends(1);
    expect(question!.body).toMatchObject({ to: CONTACT, type: 'interactive', interactive: { type: 'button' } });
    const interactive = question!.body!.interactive as { body: { text: string }; action: { buttons: Array<{ reply: { id: string; title: string } }> } };
    expect(interactive.body.text).toContain('createBooking');
    expect(interactive.body.text).toContain('AB-123-CD');
    const [confirm, cancel] = interactive.action.buttons.map((button) => button.reply);
    expect([confirm!.title, cancel!.title]).toEqual(['Confirm', 'Cancel']);
    // Nothing is booked while the contact has not answered.
    expect(posts()).toEqual([]);
    return { confirm: confirm!.id, cancel: cancel!.id };
  }

  it('Confirm books once; the tap is decided at once and never reaches the model as a message', async () => {
    const buttons = await askToBook('Booked: B-1 on 5 January at 09:00, north branch.');
    const tap = buttonReply(buttons.confirm, 'Confirm');
    expect((await fixture.deliver(tap)).status).toBe(200);
    // The same tap delivered again (Meta re-delivers) changes nothing.
    expect((await fixture.deliver(tap)).status).toBe(200);

    const sends = await fixture.graph.waitForSends(2);
    expect(sends[1]!.body).toMatchObject({ type: 'text', text: { body: 'Booked: B-1 on 5 January at 09:00, north branch.' } });
    expect(garage.bookings()).toMatchObject([{ bookingId: 'B-1', slotId: 'north-2027-01-05-9', customerName: 'Ann Lee', status: 'booked' }]);
    expect(posts()).toHaveLength(1);
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: true, data: { bookingId: 'B-1' } });
    // Two model calls (the tool call, the answer): the tap was not a turn of its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fixture.llm.chatRequests).toHaveLength(2);
    expect(JSON.stringify(fixture.llm.chatRequests[1]!.body?.messages)).not.toContain('"Confirm"');
    const tapped = await eventually('the tap in the inbox', async () => (await thread()).find((message) => message.kind === 'interactive' && message.direction === 'in'));
    expect(tapped).toMatchObject({ text: 'Confirm', status: 'answered', note: expect.stringContaining('Confirmed by the contact: createBooking') as unknown });
    const question = (await thread()).find((message) => message.direction === 'out' && message.kind === 'interactive');
    expect(question?.choices?.map((choice) => choice.title)).toEqual(['Confirm', 'Cancel']);
    expect((await fixture.backend.call('actions.audit', { tool: 'createBooking' })).entries).toMatchObject([{ status: 'ok', channel: 'whatsapp' }]);
  });

  it('Cancel books nothing, and the model is told the contact said no', async () => {
    const buttons = await askToBook('All right, I did not book it.');
    await fixture.deliver(buttonReply(buttons.cancel, 'Cancel'));
    const sends = await fixture.graph.waitForSends(2);
    expect(sends[1]!.body).toMatchObject({ type: 'text', text: { body: 'All right, I did not book it.' } });
    expect(posts()).toEqual([]);
    expect(garage.bookings()).toEqual([]);
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: false, error: expect.stringContaining('The contact declined the call; nothing was done') as unknown });
  });

  it('"yes" typed while the question waits confirms it; a later "yes" is an ordinary message', async () => {
    await askToBook('Booked: B-1.');
    await fixture.deliver(textMessage('Yes').payload);
    await fixture.graph.waitForSends(2);
    expect(garage.bookings()).toHaveLength(1);
    expect(fixture.llm.chatRequests).toHaveLength(2);

    fixture.llm.enqueue(reply.text('Glad to help!'));
    await fixture.deliver(textMessage('yes').payload);
    const sends = await fixture.graph.waitForSends(3);
    expect(sends[2]!.body).toMatchObject({ type: 'text', text: { body: 'Glad to help!' } });
    expect(garage.bookings()).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError, topics } from '#protocol';
import { PARLEY_AGENT_MODEL } from '../../../backend/agent';
import { reply } from '../../support/scripted-openai-server';
import { startActionsFixture, toolResultsOf, type ActionsFixture } from './actions-fixture';

const booking = {
  body: { serviceId: 'oil-change', slotId: 'north-2027-01-05-9', car: { plate: 'AB-123-CD', model: 'VW Golf' }, customerName: 'Ann Lee', phone: '+33 6 12 34 56 78' },
};

describe('confirmation of actions that change things', () => {
  let fixture: ActionsFixture;
  beforeEach(async () => {
    fixture = await startActionsFixture();
    await fixture.backend.call('actions.importOpenApi', { url: `${fixture.garage.url}/openapi.json` });
  });
  afterEach(async () => fixture.close());

  const posts = () => fixture.garage.requests.filter((request) => request.method === 'POST');

  it('on the console: the exact call is shown, approved once, and the booking is made exactly once', async () => {
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.actions, topics.confirmations] });
    fixture.llm.enqueue(reply.toolCall('createBooking', booking, { id: 'book' }), reply.text('Booked: B-1, Tuesday 09:00 at the north branch.'));
    const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Book an oil change for my Golf', turnId: 'book-turn' });

    const asked = await socket.waitForEvent('confirmation.requested');
    expect(asked).toMatchObject({ source: 'actions', tool: 'createBooking', summary: 'createBooking: serviceId oil-change, slotId north-2027-01-05-9, plate AB-123-CD, model VW Golf, customerName Ann Lee, phone +33 6 12 34 56 78', channel: 'console', conversationId: fixture.conversationId, arguments: booking });
    expect(posts()).toEqual([]);
    expect((await fixture.backend.call('confirmations.pending', {})).confirmations.map((entry) => entry.id)).toEqual([asked.id]);

    // Two consoles (or a double click) approve: the first wins, the second finds nothing to approve.
    const [first, second] = await Promise.allSettled([
      fixture.backend.call('confirmations.decide', { id: asked.id, approve: true }),
      fixture.backend.call('confirmations.decide', { id: asked.id, approve: true }),
    ]);
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [first, second].find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'not_found' });
    expect(await socket.waitForEvent('confirmation.resolved')).toEqual({ id: asked.id, outcome: 'approved', conversationId: fixture.conversationId });

    expect((await turn).message.content).toBe('Booked: B-1, Tuesday 09:00 at the north branch.');
    expect(posts()).toHaveLength(1);
    expect(fixture.garage.bookings()).toMatchObject([{ bookingId: 'B-1', slotId: 'north-2027-01-05-9', customerName: 'Ann Lee', status: 'booked' }]);
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: true, data: { bookingId: 'B-1' } });
    const { entries } = await fixture.backend.call('actions.audit', { tool: 'createBooking' });
    expect(entries).toMatchObject([{ status: 'ok', httpStatus: 201, channel: 'console' }]);
  });

  it('on the console: a rejected call sends nothing and the model is told why', async () => {
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.actions, topics.confirmations] });
    fixture.llm.enqueue(reply.toolCall('createBooking', booking, { id: 'book' }), reply.text('Understood, I did not book it.'));
    const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Book it', turnId: 'reject-turn' });
    const asked = await socket.waitForEvent('confirmation.requested');
    await fixture.backend.call('confirmations.decide', { id: asked.id, approve: false });
    expect((await turn).message.content).toBe('Understood, I did not book it.');
    expect(posts()).toEqual([]);
    expect(fixture.garage.bookings()).toEqual([]);
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: false, error: expect.stringContaining('rejected the call; nothing was done') as unknown });
    expect((await fixture.backend.call('actions.audit', {})).entries).toMatchObject([{ tool: 'createBooking', status: 'rejected' }]);
  });

  it('on the API channel: a clear forbidden refusal, until the operator turns confirmation off for the tool', async () => {
    const ask = () =>
      fixture.backend.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'Book an oil change' }] }),
      });
    fixture.llm.enqueue(reply.toolCall('createBooking', booking, { id: 'api-book' }), reply.text('I cannot book from here.'));
    const first = await ask();
    expect(first.status, await first.clone().text()).toBe(200);
    expect(posts()).toEqual([]);
    const refusal = toolResultsOf(fixture.llm.chatRequests[1])[0]!;
    expect(refusal.ok).toBe(false);
    expect(refusal.error).toMatch(/createBooking changes data and needs a person's approval, which the API channel \(no one there to ask\) cannot give/);

    const { tool } = await fixture.backend.call('actions.setPolicy', { tool: 'createBooking', channels: ['console', 'api'], confirm: false });
    expect(tool).toMatchObject({ name: 'createBooking', confirm: false });
    fixture.llm.enqueue(reply.toolCall('createBooking', booking, { id: 'api-book-2' }), reply.text('Booked.'));
    expect((await ask()).status).toBe(200);
    expect(posts()).toHaveLength(1);
    expect((await fixture.backend.call('actions.audit', {})).entries.map((entry) => [entry.channel, entry.status])).toEqual([
      ['api', 'ok'],
      ['api', 'refused'],
    ]);

    // Taking the API channel away removes the tool from what that channel's model is offered.
    await fixture.backend.call('actions.setPolicy', { tool: 'createBooking', channels: ['console'], confirm: true });
    fixture.llm.enqueue(reply.text('ok'));
    await ask();
    const offered = (fixture.llm.chatRequests.at(-1)!.body!.tools as Array<{ function: { name: string } }>).map((entry) => entry.function.name);
    expect(offered).toContain('listFreeSlots');
    expect(offered).not.toContain('createBooking');
  });

  it('refuses a policy for a tool that does not exist', async () => {
    const call = fixture.backend.call('actions.setPolicy', { tool: 'nope', channels: ['console'], confirm: true });
    await expect(call).rejects.toBeInstanceOf(ParleyError);
    await expect(call).rejects.toMatchObject({ code: 'not_found' });
  });
});

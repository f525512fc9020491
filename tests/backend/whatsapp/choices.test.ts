import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { envelope, textMessage } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

const CONTACT = '16505551234';

function listReply(id: string, title: string, description?: string) {
  return envelope({
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: CONTACT }],
    messages: [{ from: CONTACT, id: `wamid.row.${Math.random()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title, description } } }],
  });
}

function lastUserText(request: { body?: unknown }): string {
  const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
  return messages.filter((message) => message.role === 'user').pop()!.content;
}

describe('WhatsApp reply buttons and lists for the choices the agent offers', () => {
  let fixture: WhatsAppFixture;
  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
  });
  afterEach(async () => fixture.close());

  it('up to three short choices go out as reply buttons under the answer', async () => {
    fixture.llm.enqueue(reply.toolCall('whatsapp_offer_choices', { choices: ['Tuesday 9:00', 'Wednesday 14:00'] }), reply.text('Which day suits you?'));
    await fixture.deliver(textMessage('I need an oil change').payload);
    const [send] = await fixture.graph.waitForSends(1);
    expect(send!.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Which day suits you?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'choice:0', title: 'Tuesday 9:00' } },
            { type: 'reply', reply: { id: 'choice:1', title: 'Wednesday 14:00' } },
          ],
        },
      },
    });
    // The choices tool is the bridge's own: offered to contacts whatever tools they may use.
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body?.tools)).toContain('whatsapp_offer_choices');
    const out = await eventually('the buttons in the inbox', async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: CONTACT })).messages.find((message) => message.direction === 'out'));
    expect(out).toMatchObject({ kind: 'interactive', text: 'Which day suits you?', choices: [{ title: 'Tuesday 9:00' }, { title: 'Wednesday 14:00' }] });
  });

  it('more choices, or longer ones, go out as a list; a row cut at 24 characters keeps the whole choice in its description, which comes back to the agent', async () => {
    const branches = ['North branch', 'South branch', 'City centre, Rue de la République 12', 'Airport'];
    fixture.llm.enqueue(reply.toolCall('whatsapp_offer_choices', { choices: branches, button: 'Branches' }), reply.text('Which branch?'));
    await fixture.deliver(textMessage('Where can I go?').payload);
    const [send] = await fixture.graph.waitForSends(1);
    const interactive = send!.body!.interactive as { type: string; action: { button: string; sections: Array<{ rows: Array<{ id: string; title: string; description?: string }> }> } };
    expect(interactive.type).toBe('list');
    expect(interactive.action.button).toBe('Branches');
    const rows = interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.title.length <= 24)).toBe(true);
    expect(rows[2]).toEqual({ id: 'choice:2', title: 'City centre, Rue de la…', description: 'City centre, Rue de la République 12' });

    fixture.llm.enqueue(reply.text('See you at the city centre branch.'));
    await fixture.deliver(listReply('choice:2', rows[2]!.title, rows[2]!.description));
    await fixture.graph.waitForSends(2);
    expect(lastUserText(fixture.llm.chatRequests[2]!)).toBe('City centre, Rue de la République 12');
  });

  it('without the tool, a plain text answer stays text', async () => {
    fixture.llm.enqueue(reply.text('Just text.'));
    await fixture.deliver(textMessage('hi').payload);
    const [send] = await fixture.graph.waitForSends(1);
    expect(send!.body).toMatchObject({ type: 'text' });
  });
});

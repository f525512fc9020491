import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, startAgentFixture, type AgentFixture } from './agent-fixture';

describe('conversation memory', () => {
  let fixture: AgentFixture | undefined;
  let reopened: TestBackend | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await reopened?.close();
    await fixture?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    fixture = undefined;
    reopened = undefined;
    dataDir = undefined;
  });

  it('keeps conversations, messages, tool rounds, answer meta and provider keys across a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-agent-memory-'));
    fixture = await startAgentFixture({ dataDir, apiKey: 'sk-memory-key' });
    fixture.llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'UTC' }), reply.text('It is noon.'), reply.text('Bye!'));
    await fixture.send('What time is it?');
    await fixture.send('Thanks, bye');
    await fixture.backend.call('conversations.rename', { id: fixture.conversationId, title: 'Clock talk' });
    const { conversation: other } = await fixture.backend.call('conversations.create', { title: 'Empty one' });
    const before = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
    const listBefore = await fixture.backend.call('conversations.list', {});
    expect(before.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user', 'assistant']);
    await fixture.backend.close();

    reopened = await startTestBackend({ dataDir });
    const after = await reopened.call('conversations.messages', { id: fixture.conversationId });
    expect(after).toEqual(before);
    expect(after.conversation.title).toBe('Clock talk');
    expect(after.messages[3]!.meta).toMatchObject({ providerId: 'scripted', model: 'model-a', sources: ['system clock'] });
    expect(await reopened.call('conversations.list', {})).toEqual(listBefore);
    expect(listBefore.conversations.map((conversation) => conversation.id)).toContain(other.id);

    // The provider and its sealed key survive too: the next turn reaches the model with the key and the old context.
    const { providers } = await reopened.call('providers.list', {});
    expect(providers).toEqual([expect.objectContaining({ id: 'scripted', hasApiKey: true })]);
    fixture.llm.enqueue(reply.text('Still here.'));
    const { message } = await reopened.call('agent.send', { conversationId: fixture.conversationId, text: 'One more thing', turnId: 'after' });
    expect(message.content).toBe('Still here.');
    const last = fixture.llm.chatRequests[fixture.llm.chatRequests.length - 1]!;
    expect(last.headers.authorization).toBe('Bearer sk-memory-key');
    expect((last.body!.messages ?? []).map((entry) => entry.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'user']);
  });

  it('renames, searches (titles and message text) and deletes conversations, telling every window', async () => {
    fixture = await startAgentFixture();
    const { backend } = fixture;
    const socket = await fixture.openSocket();
    fixture.llm.enqueue(reply.text('The invoice total is 1,200 EUR.'), reply.text('Weather is sunny.'));
    await fixture.send('Total of invoice INV-77?');
    const { conversation: weather } = await backend.call('conversations.create', {});
    expect(weather.title).toBe('New conversation');
    await backend.call('agent.send', { conversationId: weather.id, text: 'Weather today?', turnId: 'w' });
    const { conversation: percent } = await backend.call('conversations.create', { title: '100% done_list' });

    // A first message names the conversation.
    const titles = Object.fromEntries((await backend.call('conversations.list', {})).conversations.map((conversation) => [conversation.id, conversation.title]));
    expect(titles).toEqual({ [fixture.conversationId]: 'Total of invoice INV-77?', [weather.id]: 'Weather today?', [percent.id]: '100% done_list' });

    const renamed = await backend.call('conversations.rename', { id: weather.id, title: '  Forecast chat  ' });
    expect(renamed.conversation).toMatchObject({ id: weather.id, title: 'Forecast chat', messageCount: 2 });
    await socket.waitForFrame(
      (frame) => frame.kind === 'event' && frame.event === 'conversations.changed' && (frame.data as { conversationId: string }).conversationId === weather.id,
      'conversations.changed for the rename',
    );

    const search = async (text: string) => (await backend.call('conversations.list', { search: text })).conversations.map((conversation) => conversation.id);
    expect(await search('forecast')).toEqual([weather.id]); // title, case-insensitive
    expect(await search('1,200 EUR')).toEqual([fixture.conversationId]); // the assistant's answer
    expect(await search('INV-77')).toEqual([fixture.conversationId]); // the user's message
    expect(await search('sunny')).toEqual([weather.id]);
    expect(await search('100%')).toEqual([percent.id]); // LIKE wildcards are taken literally
    expect(await search('_')).toEqual([percent.id]);
    expect(await search('nothing like this')).toEqual([]);
    expect((await backend.call('conversations.list', { channel: 'whatsapp' })).conversations).toEqual([]);

    expect(await backend.call('conversations.delete', { id: weather.id })).toEqual({ deleted: true });
    expect(eventsOf(socket, 'conversations.changed').map((event) => event.conversationId)).toContain(weather.id);
    await expect(backend.call('conversations.messages', { id: weather.id })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await search('sunny')).toEqual([]);
    expect(await backend.call('conversations.delete', { id: weather.id })).toEqual({ deleted: false });
    // Its messages went with it.
    const orphans = await backend.backend.store.knex('messages').where({ conversation_id: weather.id }).count({ n: '*' });
    expect(Number(orphans[0]!.n)).toBe(0);
    await expect(backend.call('conversations.rename', { id: weather.id, title: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(backend.call('agent.send', { conversationId: weather.id, text: 'hello?', turnId: 'gone' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the most recently active conversation first', async () => {
    fixture = await startAgentFixture();
    const { backend } = fixture;
    const { conversation: newer } = await backend.call('conversations.create', { title: 'Newer' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await backend.call('conversations.list', {})).conversations[0]!.id).toBe(newer.id);
    fixture.llm.enqueue(reply.text('Back again.'));
    await fixture.send('Reviving the old one');
    expect((await backend.call('conversations.list', {})).conversations.map((conversation) => conversation.id)).toEqual([fixture.conversationId, newer.id]);
  });
});

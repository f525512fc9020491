import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, sentMessages, startAgentFixture, turnEventNames, type AgentFixture } from './agent-fixture';

describe('console turns', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('streams an answer to the socket and stores both messages', async () => {
    fixture.llm.enqueue(reply.text('Hello there, operator. How can I help?'));
    const socket = await fixture.openSocket();
    await socket.waitForEvent('system.hello');
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Hi', turnId: 't1' });
    expect(answer.message.content).toBe('Hello there, operator. How can I help?');
    const deltas = socket.frames.filter((frame) => frame.kind === 'event' && frame.event === 'agent.turn.delta');
    expect(deltas.length).toBeGreaterThan(0);
    const streamed = deltas.map((frame) => (frame as { data: { text: string } }).data.text).join('');
    expect(streamed).toBe('Hello there, operator. How can I help?');
    const { messages, conversation } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
    expect(messages.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Hi', 'complete'],
      ['assistant', 'Hello there, operator. How can I help?', 'complete'],
    ]);
    expect(messages[1]!.meta).toMatchObject({ providerId: 'scripted', model: 'model-a' });
    expect(conversation.title).toBe('Hi');
  });

  it('sends deltas as the chunks arrive, in order, and reports model, tokens and timings in the answer meta', async () => {
    const chunks = ['The ', 'quick ', 'brown ', 'fox ', 'jumps.'];
    // 40 ms between chunks is longer than the publisher's batching, so the deltas cannot all collapse into one.
    fixture.llm.enqueue(reply.chunks(chunks, { chunkDelayMs: 40, firstTokenDelayMs: 30 }));
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Tell me about the fox', turnId: 'fox' });

    const deltas = eventsOf(socket, 'agent.turn.delta', 'fox').map((delta) => delta.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('The quick brown fox jumps.');
    expect(turnEventNames(socket, 'fox')).toEqual(['agent.turn.started', 'agent.turn.model', 'agent.turn.delta', 'agent.turn.finished']);
    expect(eventsOf(socket, 'agent.turn.model', 'fox')).toEqual([{ turnId: 'fox', conversationId: fixture.conversationId, providerId: 'scripted', model: 'model-a' }]);

    const meta = answer.message.meta!;
    expect(meta).toMatchObject({ providerId: 'scripted', model: 'model-a', fallbacks: [], sources: [], toolFailures: [] });
    // The scripted server reports usage; the product must pass it through, not its own estimate.
    expect(fixture.llm.chatRequests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(meta.promptTokens).toBeGreaterThan(0);
    expect(meta.completionTokens).toBe(Math.ceil('The quick brown fox jumps.'.length / 4));
    expect(meta.timeToFirstTokenMs).toBeGreaterThanOrEqual(30);
    expect(meta.totalMs).toBeGreaterThanOrEqual(30 + 4 * 40 - 10);
    expect(meta.totalMs).toBeGreaterThanOrEqual(meta.timeToFirstTokenMs!);

    const [finished] = eventsOf(socket, 'agent.turn.finished', 'fox');
    expect(finished!.message).toEqual(answer.message);
    expect(finished!.meta).toEqual(meta);
    const stored = await fixture.messages();
    expect(stored[1]).toEqual(answer.message);
  });

  it('gives the model the earlier exchange as context on the next turn', async () => {
    fixture.llm.enqueue(reply.text('Paris.'), reply.text('About 2.1 million.'));
    await fixture.send('Capital of France?');
    await fixture.send('Its population?');
    const second = sentMessages(fixture.llm.chatRequests[1]);
    expect(second.slice(1)).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'Its population?' },
    ]);
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Capital of France?'],
      ['assistant', 'Paris.'],
      ['user', 'Its population?'],
      ['assistant', 'About 2.1 million.'],
    ]);
  });

  it('regenerates the last answer: the old one is gone and the question is asked once', async () => {
    fixture.llm.enqueue(reply.text('First try.'), reply.text('Second try.'));
    await fixture.send('Say something');
    const socket = await fixture.openSocket();
    const regenerated = await socket.call('agent.regenerate', { conversationId: fixture.conversationId, turnId: 'again' });
    expect(regenerated.message.content).toBe('Second try.');
    expect(eventsOf(socket, 'agent.turn.finished', 'again')).toHaveLength(1);
    expect(sentMessages(fixture.llm.chatRequests[1]).slice(1)).toEqual([{ role: 'user', content: 'Say something' }]);
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Say something', 'complete'],
      ['assistant', 'Second try.', 'complete'],
    ]);
  });

  it('refuses a turn when no model is chosen, and says where to choose one', async () => {
    await fixture.backend.call('settings.set', { key: 'agent.console.model', value: null });
    const socket = await fixture.openSocket();
    const frame = await socket.request('agent.send', { conversationId: fixture.conversationId, text: 'Anyone there?', turnId: 'nomodel' });
    expect(frame.ok).toBe(false);
    const error = (frame as Extract<typeof frame, { ok: false }>).error;
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('No chat model is chosen');
    expect(error.hint).toContain('Models panel');
    expect(eventsOf(socket, 'agent.turn.failed', 'nomodel')).toEqual([{ turnId: 'nomodel', conversationId: fixture.conversationId, error }]);
    expect(fixture.llm.chatRequests).toHaveLength(0);
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content])).toEqual([['user', 'Anyone there?']]);
  });

  it('refuses a turn whose chosen provider was deleted', async () => {
    await fixture.backend.call('providers.delete', { id: 'scripted' });
    const error = await fixture.send('Hello?').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('unavailable');
    expect((error as ParleyError).message).toContain('"scripted" no longer exists');
    expect(fixture.llm.chatRequests).toHaveLength(0);
    const stored = await fixture.messages();
    expect(stored.filter((message) => message.role === 'assistant')).toEqual([]);
  });
});

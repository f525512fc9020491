import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseFrame } from '#protocol';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { closedPort, eventsOf, sentMessages, startAgentFixture, turnEventNames, type AgentFixture } from './agent-fixture';

function errorOf(frame: ResponseFrame) {
  if (frame.ok) throw new Error(`expected an error, got ${JSON.stringify(frame.result).slice(0, 300)}`);
  return frame.error;
}

describe('fallback models and provider failures', () => {
  let fixture: AgentFixture | undefined;
  let second: ScriptedOpenAiServer | undefined;
  afterEach(async () => {
    await fixture?.close();
    await second?.close();
    fixture = undefined;
    second = undefined;
  });

  it('moves to the fallback model when the chosen one answers 500, and says so', async () => {
    fixture = await startAgentFixture({ fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    fixture.llm.enqueue(reply.error(500, 'model-a is on fire', { model: 'model-a' }), reply.text('Answer from B.', { model: 'model-b' }));
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Hello', turnId: 'fb' });

    expect(answer.message.content).toBe('Answer from B.');
    expect(answer.message.meta).toMatchObject({ providerId: 'scripted', model: 'model-b' });
    expect(answer.message.meta!.fallbacks).toHaveLength(1);
    expect(answer.message.meta!.fallbacks[0]).toMatchObject({ providerId: 'scripted', model: 'model-a' });
    expect(answer.message.meta!.fallbacks[0]!.error).toContain('500');
    expect(answer.message.meta!.fallbacks[0]!.error).toContain('model-a is on fire');

    expect(eventsOf(socket, 'agent.turn.model', 'fb')).toEqual([
      { turnId: 'fb', conversationId: fixture.conversationId, providerId: 'scripted', model: 'model-a' },
      { turnId: 'fb', conversationId: fixture.conversationId, providerId: 'scripted', model: 'model-b', fallbackFrom: 'Scripted / model-a' },
    ]);
    expect(fixture.llm.chatRequests.map((request) => request.body!.model)).toEqual(['model-a', 'model-b']);
    // The fallback gets the same conversation.
    expect(sentMessages(fixture.llm.chatRequests[1])).toEqual(sentMessages(fixture.llm.chatRequests[0]));

    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Hello', 'complete'],
      ['assistant', 'Answer from B.', 'complete'],
    ]);
    expect(stored[1]!.meta).toEqual(answer.message.meta);
  });

  it('voids the text a failing model streamed: after the switch only the fallback answer is shown and stored', async () => {
    fixture = await startAgentFixture({ fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    fixture.llm.enqueue(reply.cut(['Half an ', 'answer '], { model: 'model-a' }), reply.text('The whole answer.', { model: 'model-b' }));
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Go', turnId: 'void' });
    expect(answer.message.content).toBe('The whole answer.');
    expect(answer.message.meta!.fallbacks.map((entry) => entry.model)).toEqual(['model-a']);

    // Deltas after the second agent.turn.model event are the new answer, complete.
    const turnFrames = socket.frames.filter(
      (frame) => frame.kind === 'event' && frame.event.startsWith('agent.turn.') && (frame.data as { turnId?: string }).turnId === 'void',
    );
    const switchAt = turnFrames.findLastIndex((frame) => frame.kind === 'event' && frame.event === 'agent.turn.model');
    const after = turnFrames
      .slice(switchAt)
      .filter((frame) => frame.kind === 'event' && frame.event === 'agent.turn.delta')
      .map((frame) => (frame as { data: { text: string } }).data.text)
      .join('');
    expect(after).toBe('The whole answer.');
    const stored = await fixture.messages();
    expect(stored.map((message) => message.content)).toEqual(['Go', 'The whole answer.']);
  });

  it('moves to a second provider when the first refuses the connection', async () => {
    second = await startScriptedOpenAiServer({ models: ['backup-model'], whenEmpty: 'error' });
    fixture = await startAgentFixture();
    const port = await closedPort();
    await fixture.backend.call('providers.save', { id: 'down', kind: 'custom', name: 'Down', baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    await fixture.backend.call('providers.save', { id: 'backup', kind: 'custom', name: 'Backup', baseUrl: second.baseUrl, maxRetries: 0 });
    await fixture.backend.call('settings.set', { key: 'agent.console.model', value: { providerId: 'down', model: 'model-a' } });
    await fixture.backend.call('settings.set', { key: 'agent.fallbacks', value: [{ providerId: 'backup', model: 'backup-model' }] });
    second.enqueue(reply.text('Backup here.'));

    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Anyone?', turnId: 'refused' });
    expect(answer.message.content).toBe('Backup here.');
    expect(answer.message.meta).toMatchObject({ providerId: 'backup', model: 'backup-model' });
    expect(answer.message.meta!.fallbacks).toEqual([
      { providerId: 'down', model: 'model-a', error: `Connection refused by Down (http://127.0.0.1:${port}/v1)` },
    ]);
    expect(eventsOf(socket, 'agent.turn.model', 'refused').map((event) => [event.providerId, event.fallbackFrom])).toEqual([
      ['down', undefined],
      ['backup', 'Down / model-a'],
    ]);
    expect(fixture.llm.chatRequests).toHaveLength(0);
    expect(second.chatRequests).toHaveLength(1);
    const stored = await fixture.messages();
    expect(stored[1]).toMatchObject({ content: 'Backup here.', status: 'complete', meta: { providerId: 'backup' } });
  });

  it('honours Retry-After on a 429 within the provider retries, without falling back', async () => {
    fixture = await startAgentFixture({ maxRetries: 1, fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    fixture.llm.enqueue(reply.rateLimited(0.05, { model: 'model-a' }), reply.text('After the wait.', { model: 'model-a' }));
    const answer = await fixture.send('Hello');
    expect(answer.content).toBe('After the wait.');
    expect(answer.meta).toMatchObject({ model: 'model-a', fallbacks: [] });
    const [first, retry] = fixture.llm.chatRequests;
    expect(retry!.body!.model).toBe('model-a');
    // The SDK waited what the server asked (0.05 s), not its own backoff (at least 0.375 s for a first retry).
    expect(retry!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(45);
    expect(retry!.receivedAt - first!.receivedAt).toBeLessThan(350);
    const stored = await fixture.messages();
    expect(stored[1]).toMatchObject({ content: 'After the wait.', status: 'complete' });
  });

  it('moves to the fallback at once on a 429 when the provider allows no retries', async () => {
    fixture = await startAgentFixture({ maxRetries: 0, fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    fixture.llm.enqueue(reply.rateLimited(30, { model: 'model-a' }), reply.text('B is free.', { model: 'model-b' }));
    const started = Date.now();
    const answer = await fixture.send('Hello');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.content).toBe('B is free.');
    expect(answer.meta!.model).toBe('model-b');
    expect(answer.meta!.fallbacks).toEqual([{ providerId: 'scripted', model: 'model-a', error: `Scripted (${fixture.llm.baseUrl}) is rate limiting requests` }]);
    expect(fixture.llm.chatRequests.map((request) => request.body!.model)).toEqual(['model-a', 'model-b']);
  });

  it('fails a turn whose stream is cut with no fallback: clear error, partial stored as failed, not used as context', async () => {
    fixture = await startAgentFixture();
    fixture.llm.enqueue(reply.cut(['The first ', 'half of ']));
    const socket = await fixture.openSocket();
    const error = errorOf(await socket.request('agent.send', { conversationId: fixture.conversationId, text: 'Tell me a story', turnId: 'cut' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain(`Scripted (${fixture.llm.baseUrl})`);
    expect(error.message).toMatch(/broke off/);
    expect(error.details).toMatchObject({ problem: 'stream_cut' });
    expect(error.hint).toBeTruthy();
    const [failed] = eventsOf(socket, 'agent.turn.failed', 'cut');
    expect(failed).toEqual({ turnId: 'cut', conversationId: fixture.conversationId, error });
    expect(turnEventNames(socket, 'cut')).toEqual(['agent.turn.started', 'agent.turn.model', 'agent.turn.delta', 'agent.turn.failed']);
    expect(eventsOf(socket, 'agent.turn.delta', 'cut').map((delta) => delta.text).join('')).toBe('The first half of ');

    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Tell me a story', 'complete'],
      ['assistant', 'The first half of ', 'failed'],
    ]);

    fixture.llm.enqueue(reply.text('Once upon a time.'));
    await fixture.send('Try again please');
    const next = sentMessages(fixture.llm.chatRequests[1]);
    expect(next.slice(1)).toEqual([
      { role: 'user', content: 'Tell me a story' },
      { role: 'user', content: 'Try again please' },
    ]);
    expect(next.some((message) => message.content.includes('The first half'))).toBe(false);
  });

  it('abandons a stream that goes silent after some text and moves to the fallback', async () => {
    fixture = await startAgentFixture({ timeoutMs: 1_000, fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    const [stalled] = fixture.llm.enqueue(reply.hang({ chunks: ['Let me ', 'see... '], model: 'model-a' }), reply.text('Here it is.', { model: 'model-b' }));
    const answer = await fixture.send('Slow one');
    expect(answer.content).toBe('Here it is.');
    expect(answer.meta!.model).toBe('model-b');
    expect(answer.meta!.fallbacks).toHaveLength(1);
    expect(answer.meta!.fallbacks[0]!.error).toContain('no data for 1 s');
    expect(await stalled.outcome).toBe('aborted');
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.content, message.status])).toEqual([
      ['Slow one', 'complete'],
      ['Here it is.', 'complete'],
    ]);
  });

  it('fails a turn whose stream carries an error event, with the provider message, when no fallback is left', async () => {
    fixture = await startAgentFixture({ fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    fixture.llm.enqueue(reply.error(503, 'overloaded', { model: 'model-a' }), reply.streamError(['Part '], 'model-b crashed mid-answer', { model: 'model-b' }));
    const socket = await fixture.openSocket();
    const error = errorOf(await socket.request('agent.send', { conversationId: fixture.conversationId, text: 'Hi', turnId: 'both' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('model-b crashed mid-answer');
    // Both attempts are named, so the user knows the fallback was tried too.
    expect(error.message).toContain('tried model-a, model-b');
    expect(error.details).toMatchObject({ fallbacks: [{ model: 'model-a' }, { model: 'model-b' }] });
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Hi', 'complete'],
      ['assistant', 'Part ', 'failed'],
    ]);
  });

  it('does not fall back when the key is refused: the user has to fix the key', async () => {
    fixture = await startAgentFixture({ apiKey: 'sk-right', providerApiKey: 'sk-wrong', fallbacks: [{ providerId: 'scripted', model: 'model-b' }] });
    const error = await fixture.send('Hi').then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string; hint?: string },
    );
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('refused the API key (401)') as unknown });
    expect(error!.hint).toContain('API key');
    expect(fixture.llm.chatRequests).toHaveLength(1);
  });
});

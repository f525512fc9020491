import { z } from 'zod';
import { defineTool } from '../../../backend/platform/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, sentMessages, startAgentFixture, type AgentFixture } from './agent-fixture';

describe('stopping a turn', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('cancels mid-stream: the upstream request is aborted, the partial is stored as cancelled and never becomes context', async () => {
    const [hung] = fixture.llm.enqueue(reply.hang({ chunks: ['I am ', 'thinking ', 'about '] }));
    const socket = await fixture.openSocket();
    const id = socket.nextId();
    const response = socket.waitForResponse(id);
    socket.send({ kind: 'request', id, method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Think hard', turnId: 'stop' } });
    await hung.served;
    // Wait until the user has seen the text streamed so far, then press stop.
    await socket.waitForFrame(
      () => eventsOf(socket, 'agent.turn.delta', 'stop').map((delta) => delta.text).join('') === 'I am thinking about ',
      'the streamed text',
    );
    socket.cancel(id);

    const frame = await response;
    expect(frame.ok).toBe(false);
    expect(!frame.ok && frame.error.code).toBe('cancelled');
    expect(await hung.outcome).toBe('aborted');
    const failed = await socket.waitForEvent('agent.turn.failed');
    expect(failed).toMatchObject({ turnId: 'stop', conversationId: fixture.conversationId, error: { code: 'cancelled' } });
    expect(eventsOf(socket, 'agent.turn.finished', 'stop')).toEqual([]);

    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Think hard', 'complete'],
      ['assistant', 'I am thinking about ', 'cancelled'],
    ]);

    fixture.llm.enqueue(reply.text('Short answer.'));
    await fixture.send('Just answer briefly');
    const next = sentMessages(fixture.llm.chatRequests[1]);
    expect(next.slice(1)).toEqual([
      { role: 'user', content: 'Think hard' },
      { role: 'user', content: 'Just answer briefly' },
    ]);
  });

  it('cancels before the first token: nothing but the question is stored', async () => {
    const [hung] = fixture.llm.enqueue(reply.hang());
    const socket = await fixture.openSocket();
    const id = socket.nextId();
    const response = socket.waitForResponse(id);
    socket.send({ kind: 'request', id, method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Hello?', turnId: 'early' } });
    await hung.served;
    socket.cancel(id);
    const frame = await response;
    expect(!frame.ok && frame.error.code).toBe('cancelled');
    expect(await hung.outcome).toBe('aborted');
    await socket.waitForEvent('agent.turn.failed');
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([['user', 'complete']]);
  });

  it('cancels while a tool runs: the tool sees the abort and no further model request is made', async () => {
    let toolStarted!: () => void;
    const started = new Promise<void>((resolve) => (toolStarted = resolve));
    let toolSignal: AbortSignal | undefined;
    fixture.backend.backend.tools.register(
      defineTool({
        name: 'long_query',
        description: 'A query that takes a while',
        input: z.object({}),
        channels: ['console'],
        timeoutMs: 10_000,
        execute: (_args, context) => {
          toolSignal = context.signal;
          toolStarted();
          return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
        },
      }),
    );
    fixture.llm.enqueue(reply.toolCall('long_query', {}), reply.text('never sent'));
    const socket = await fixture.openSocket();
    const id = socket.nextId();
    const response = socket.waitForResponse(id);
    socket.send({ kind: 'request', id, method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Query', turnId: 'tool-stop' } });
    await started;
    socket.cancel(id);

    expect(await response).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await socket.waitForEvent('agent.turn.failed');
    expect(toolSignal?.aborted).toBe(true);
    expect(fixture.llm.chatRequests).toHaveLength(1);
    expect(fixture.llm.pendingSteps).toBe(1);
    const stored = await fixture.messages();
    // The unfinished tool round is not stored as if it had completed.
    expect(stored.map((message) => [message.role, message.status])).toEqual([['user', 'complete']]);
  });

  it('aborts the upstream request when the socket closes mid-turn', async () => {
    const [hung] = fixture.llm.enqueue(reply.hang({ chunks: ['Going '] }));
    const socket = await fixture.openSocket();
    socket.send({ kind: 'request', id: 'gone', method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Bye', turnId: 'gone' } });
    await socket.waitForEvent('agent.turn.delta');
    await socket.close();
    expect(await hung.outcome).toBe('aborted');
    // The stored partial appears once the turn has wound down.
    await expect.poll(async () => (await fixture.messages()).map((message) => [message.content, message.status])).toEqual([
      ['Bye', 'complete'],
      ['Going ', 'cancelled'],
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { startAgentFixture, type AgentFixture } from './agent-fixture';

/** A channel that runs the same turn again (a WhatsApp job resumed after a crash) keeps the conversation as if it ran once. */
describe('a turn run again under the same user message id', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  const run = (text: string, userMessageId: string, signal = new AbortController().signal) =>
    fixture.backend.backend.agent.turns.run({ channel: 'console', conversationId: fixture.conversationId, text, userMessageId, turnId: `t-${Math.random()}`, signal });

  it('replaces the user message and whatever the interrupted run stored after it', async () => {
    fixture.llm.enqueue(reply.text('First question answered.'));
    await run('First question', 'user-1');
    // The interrupted attempt: stopped while the answer streamed (stored as cancelled).
    fixture.llm.enqueue(reply.chunks(['Half an ans', 'wer that never ends'], { firstTokenDelayMs: 10, chunkDelayMs: 2_000 }));
    const stop = new AbortController();
    const interrupted = run('Second question', 'user-2', stop.signal);
    await fixture.llm.waitForChatRequests(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop.abort();
    await expect(interrupted).rejects.toMatchObject({ code: 'cancelled' });

    fixture.llm.enqueue(reply.text('Second question answered.'));
    const again = await run('Second question, and a third', 'user-2');

    expect(again.text).toBe('Second question answered.');
    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'First question', 'complete'],
      ['assistant', 'First question answered.', 'complete'],
      ['user', 'Second question, and a third', 'complete'],
      ['assistant', 'Second question answered.', 'complete'],
    ]);
    expect(stored[2]!.id).toBe('user-2');
    // The model saw the user's words once, in the new wording.
    const sent = JSON.stringify(fixture.llm.chatRequests[2]!.body?.messages);
    expect(sent.match(/Second question/g)).toHaveLength(1);
  });

  it('stores a new message under the id when the earlier run stored nothing', async () => {
    fixture.llm.enqueue(reply.text('Fine.'));
    await run('Hello', 'never-stored');
    expect((await fixture.messages()).map((message) => [message.id === 'never-stored', message.role])).toEqual([
      [true, 'user'],
      [false, 'assistant'],
    ]);
  });
});

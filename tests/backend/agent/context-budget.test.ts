import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { createTokenCounter, GROUNDING_RULES } from '../../../backend/agent';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, startAgentFixture, type AgentFixture } from './agent-fixture';

const BUDGET = 2_000;
const count = await createTokenCounter('custom');

function requestMessages(fixture: AgentFixture, index: number): ChatCompletionMessageParam[] {
  return fixture.llm.chatRequests[index]!.body!.messages as ChatCompletionMessageParam[];
}

describe('context budget', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
    await fixture.backend.call('settings.set', { key: 'agent.contextBudgets', value: { 'scripted/model-a': BUDGET } });
  });
  afterEach(async () => fixture.close());

  /** 500 user/assistant pairs of varying length, written through the backend's own repository. */
  async function seedLongConversation(): Promise<void> {
    const seeded = [];
    for (let index = 0; index < 500; index++) {
      seeded.push(
        { role: 'user' as const, content: `Question ${index}: ${'how about this '.repeat((index % 7) + 1)}`, status: 'complete' as const },
        { role: 'assistant' as const, content: `Answer ${index}: ${'it is fine '.repeat((index % 11) + 1)}`, status: 'complete' as const },
      );
    }
    await fixture.backend.backend.agent.conversations.append(fixture.conversationId, seeded);
  }

  it('fits a 500-turn conversation into the budget: rules and question kept, oldest dropped with a note', async () => {
    await seedLongConversation();
    fixture.llm.enqueue(reply.toolCall('get_current_time', {}), reply.text('It is now.'));
    const answer = await fixture.send('What time is it, after all this?');
    expect(answer.content).toBe('It is now.');

    expect(fixture.llm.chatRequests).toHaveLength(2);
    for (const index of [0, 1]) {
      const messages = requestMessages(fixture, index);
      expect(count(messages)).toBeLessThanOrEqual(BUDGET);
      expect(messages[0]).toMatchObject({ role: 'system' });
      expect(String(messages[0]!.content).startsWith(GROUNDING_RULES)).toBe(true);
      const note = messages[1]!;
      expect(note.role).toBe('system');
      const dropped = Number(/^\((\d+) earlier messages of this conversation are not shown/.exec(String(note.content))?.[1]);
      expect(dropped).toBeGreaterThan(900);
      // What is kept is the most recent part, whole exchanges, in order.
      const kept = messages.slice(2).filter((message) => message.role === 'user' || message.role === 'assistant');
      const keptHistory = kept.slice(0, kept.findIndex((message) => message.content === 'What time is it, after all this?'));
      expect(dropped + keptHistory.length).toBe(1_000);
      expect(keptHistory.length).toBeGreaterThan(0);
      expect(keptHistory[0]!.role).toBe('user');
      expect(String(keptHistory[0]!.content)).toMatch(new RegExp(`^Question ${500 - keptHistory.length / 2}:`));
      expect(String(keptHistory[keptHistory.length - 1]!.content)).toMatch(/^Answer 499:/);
    }
    // The current turn (question, then the tool round) comes last, whole.
    const second = requestMessages(fixture, 1);
    expect(second.slice(-3).map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(second[second.length - 3]!.content).toBe('What time is it, after all this?');

    const stored = await fixture.messages();
    expect(stored).toHaveLength(1_000 + 4);
    expect(stored[stored.length - 1]).toMatchObject({ role: 'assistant', content: 'It is now.', status: 'complete' });
  });

  it('uses the default budget for a model without one, and sends everything when it fits', async () => {
    await fixture.backend.call('settings.set', { key: 'agent.contextBudgets', value: {} });
    await fixture.backend.backend.agent.conversations.append(fixture.conversationId, [
      { role: 'user', content: 'Earlier question', status: 'complete' },
      { role: 'assistant', content: 'Earlier answer', status: 'complete' },
    ]);
    fixture.llm.enqueue(reply.text('OK.'));
    await fixture.send('Now');
    const messages = requestMessages(fixture, 0);
    expect(messages.map((message) => message.content)).toEqual([GROUNDING_RULES, 'Earlier question', 'Earlier answer', 'Now']);
  });

  it('refuses a single message larger than the budget before any request is sent, and recovers on the next one', async () => {
    const huge = 'lorem ipsum dolor sit amet '.repeat(800);
    expect(count([{ role: 'user', content: huge }])).toBeGreaterThan(BUDGET);
    const socket = await fixture.openSocket();
    const frame = await socket.request('agent.send', { conversationId: fixture.conversationId, text: huge, turnId: 'huge' });
    expect(frame.ok).toBe(false);
    const error = (frame as Extract<typeof frame, { ok: false }>).error;
    expect(error.code).toBe('invalid_params');
    expect(error.message).toMatch(/needs about \d+ tokens of context, more than the 2000 allowed/);
    expect(error.hint).toContain('context budget');
    expect(eventsOf(socket, 'agent.turn.failed', 'huge')).toHaveLength(1);
    expect(fixture.llm.chatRequests).toHaveLength(0);
    let stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([['user', 'complete']]);

    // The refused message stays in the conversation but does not wedge it: it is dropped from the next window.
    fixture.llm.enqueue(reply.text('Shorter is better.'));
    await fixture.send('Sorry, in short: hello');
    const messages = requestMessages(fixture, 0);
    expect(count(messages)).toBeLessThanOrEqual(BUDGET);
    expect(messages.some((message) => message.content === huge)).toBe(false);
    expect(messages[messages.length - 1]).toEqual({ role: 'user', content: 'Sorry, in short: hello' });
    stored = await fixture.messages();
    expect(stored[stored.length - 1]).toMatchObject({ content: 'Shorter is better.', status: 'complete' });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { defineTool, type AgentTool, type ToolDefinition } from '../../../backend/platform/tools';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, startAgentFixture, turnEventNames, type AgentFixture } from './agent-fixture';
import { stageCounts } from '../../support/stage-metrics';

/** The tool messages a recorded chat request carried, parsed. */
function toolMessagesOf(request: { body?: { messages?: unknown } } | undefined): Array<{ tool_call_id: string; content: Record<string, unknown> }> {
  const messages = (request?.body?.messages ?? []) as Array<{ role: string; tool_call_id?: string; content?: unknown }>;
  return messages
    .filter((message) => message.role === 'tool')
    .map((message) => ({ tool_call_id: message.tool_call_id!, content: JSON.parse(String(message.content)) as Record<string, unknown> }));
}

const idInput = z.object({ id: z.string().optional() });

function testTool(overrides: Partial<ToolDefinition<typeof idInput>> & Pick<ToolDefinition<typeof idInput>, 'name' | 'execute'>): AgentTool {
  return defineTool({ description: `Test tool ${overrides.name}`, input: idInput, channels: ['console', 'api'], ...overrides });
}

describe('agent tools', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('runs a tool the model calls, shows the tool card and answers from its result', async () => {
    fixture.llm.enqueue(
      reply.toolCall('get_current_time', { timeZone: 'UTC' }, { id: 'call_time' }),
      reply.text('It is noon, according to the system clock.'),
    );
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'What time is it?', turnId: 'time' });
    expect(answer.message.content).toBe('It is noon, according to the system clock.');
    expect(answer.message.meta?.sources).toEqual(['system clock']);
    expect(answer.message.meta?.toolFailures).toEqual([]);

    // The tool is offered to the model, and its result goes back in the next request, tied to the call.
    const first = fixture.llm.chatRequests[0]!.body!;
    expect((first.tools as ChatCompletionTool[]).map((tool) => tool.type === 'function' && tool.function.name)).toContain('get_current_time');
    expect(first.tool_choice).toBe('auto');
    const second = fixture.llm.chatRequests[1]!.body!;
    const assistant = second.messages!.find((message) => message.role === 'assistant');
    expect(assistant).toMatchObject({ tool_calls: [{ id: 'call_time', type: 'function', function: { name: 'get_current_time', arguments: '{"timeZone":"UTC"}' } }] });
    const [toolMessage] = toolMessagesOf(fixture.llm.chatRequests[1]);
    expect(toolMessage).toMatchObject({ tool_call_id: 'call_time', content: { ok: true, source: 'system clock', data: { timeZone: 'UTC' } } });
    expect(String((toolMessage!.content.data as { iso: string }).iso)).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The turn's stages are in /metrics: the tool call, time to first token and the whole answer.
    expect(await stageCounts(fixture.backend)).toMatchObject({ tool: 1, llm_first_token: 1, llm_total: 1 });

    expect(turnEventNames(socket, 'time')).toEqual([
      'agent.turn.started',
      'agent.turn.model',
      'agent.turn.toolCall',
      'agent.turn.toolResult',
      'agent.turn.delta',
      'agent.turn.finished',
    ]);
    expect(eventsOf(socket, 'agent.turn.toolCall', 'time')[0]!.call).toEqual({ id: 'call_time', name: 'get_current_time', arguments: '{"timeZone":"UTC"}' });
    const result = eventsOf(socket, 'agent.turn.toolResult', 'time')[0]!.result;
    expect(result).toMatchObject({ callId: 'call_time', name: 'get_current_time', ok: true });

    const stored = await fixture.messages();
    expect(stored.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['tool', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(stored[1]!.toolCalls).toEqual([{ id: 'call_time', name: 'get_current_time', arguments: '{"timeZone":"UTC"}' }]);
    expect(stored[2]!.toolResult).toEqual(result);
    expect(stored[3]!.content).toBe('It is noon, according to the system clock.');
  });

  it('runs two parallel tool calls of one step together and sends both results back', async () => {
    // Each call waits until the other has started: run one after the other, the first would time out.
    let started = 0;
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    fixture.backend.backend.tools.register(
      testTool({
        name: 'lookup_order',
        timeoutMs: 2_000,
        async execute(args) {
          if (++started === 2) bothStarted();
          await barrier;
          return { data: { order: args.id, state: args.id === 'A-1' ? 'shipped' : 'packed' }, source: 'orders db' };
        },
      }),
    );
    fixture.llm.enqueue(
      reply.toolCalls([
        { name: 'lookup_order', arguments: { id: 'A-1' }, id: 'call_a' },
        { name: 'lookup_order', arguments: { id: 'B-2' }, id: 'call_b' },
      ]),
      reply.text('A-1 has shipped; B-2 is being packed (orders db).'),
    );
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Where are A-1 and B-2?', turnId: 'pair' });
    expect(answer.message.content).toBe('A-1 has shipped; B-2 is being packed (orders db).');
    expect(answer.message.meta).toMatchObject({ sources: ['orders db'], toolFailures: [] });

    expect(fixture.llm.chatRequests).toHaveLength(2);
    expect(toolMessagesOf(fixture.llm.chatRequests[1])).toEqual([
      { tool_call_id: 'call_a', content: { ok: true, source: 'orders db', data: { order: 'A-1', state: 'shipped' } } },
      { tool_call_id: 'call_b', content: { ok: true, source: 'orders db', data: { order: 'B-2', state: 'packed' } } },
    ]);
    expect(eventsOf(socket, 'agent.turn.toolCall', 'pair').map((event) => event.call.id)).toEqual(['call_a', 'call_b']);
    expect(eventsOf(socket, 'agent.turn.toolResult', 'pair').map((event) => [event.result.callId, event.result.ok])).toEqual([
      ['call_a', true],
      ['call_b', true],
    ]);

    const stored = await fixture.messages();
    expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(stored[1]!.toolCalls.map((call) => [call.id, call.name, call.arguments])).toEqual([
      ['call_a', 'lookup_order', '{"id":"A-1"}'],
      ['call_b', 'lookup_order', '{"id":"B-2"}'],
    ]);
    expect(stored.slice(2, 4).map((message) => [message.toolResult?.callId, message.toolResult?.ok])).toEqual([
      ['call_a', true],
      ['call_b', true],
    ]);
  });

  it('gives the model a failed result with an instruction when a tool throws, and names it in the answer meta', async () => {
    fixture.backend.backend.tools.register(
      testTool({
        name: 'crm_lookup',
        async execute() {
          throw new Error('CRM database is offline');
        },
      }),
    );
    fixture.llm.enqueue(reply.toolCall('crm_lookup', { id: '42' }, { id: 'call_crm' }), reply.text('The CRM lookup failed: the database is offline.'));
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Who is customer 42?', turnId: 'crm' });
    expect(answer.message.meta).toMatchObject({ toolFailures: ['crm_lookup'], sources: [] });

    const [toolMessage] = toolMessagesOf(fixture.llm.chatRequests[1]);
    expect(toolMessage!.tool_call_id).toBe('call_crm');
    expect(toolMessage!.content).toEqual({
      ok: false,
      error: 'CRM database is offline',
      instruction: expect.stringContaining('do not guess') as unknown,
    });
    const [result] = eventsOf(socket, 'agent.turn.toolResult', 'crm');
    expect(result!.result).toMatchObject({ callId: 'call_crm', name: 'crm_lookup', ok: false });
    const stored = await fixture.messages();
    expect(stored[2]!.toolResult).toMatchObject({ name: 'crm_lookup', ok: false });
    expect(JSON.parse(stored[2]!.toolResult!.content)).toEqual(toolMessage!.content);
    expect(stored[3]!.meta?.toolFailures).toEqual(['crm_lookup']);
  });

  it('answers a tool call with invalid JSON arguments with a failed result the model can read', async () => {
    fixture.llm.enqueue(
      reply.toolCall('get_current_time', '{"timeZone": "UTC"', { id: 'call_bad' }),
      reply.text('Sorry, I could not read the time zone.'),
    );
    const answer = await fixture.send('Time in UTC?');
    expect(answer.meta?.toolFailures).toEqual(['get_current_time']);
    const [toolMessage] = toolMessagesOf(fixture.llm.chatRequests[1]);
    expect(toolMessage!.content).toMatchObject({ ok: false, error: expect.stringContaining('not a valid JSON object') as unknown });
    expect(String(toolMessage!.content.error)).toContain('{"timeZone": "UTC"');
    const stored = await fixture.messages();
    expect(stored[1]!.toolCalls[0]!.arguments).toBe('{"timeZone": "UTC"');
    expect(stored[2]!.toolResult).toMatchObject({ callId: 'call_bad', ok: false });
  });

  it('answers a call to an unknown tool, or to a tool of another channel, with a failed result', async () => {
    fixture.backend.backend.tools.register(
      testTool({ name: 'whatsapp_only_lookup', channels: ['whatsapp'], execute: () => Promise.resolve({ data: { done: true } }) }),
    );
    fixture.llm.enqueue(
      reply.toolCalls([
        { name: 'launch_rockets', arguments: {}, id: 'call_x' },
        { name: 'whatsapp_only_lookup', arguments: {}, id: 'call_w' },
      ]),
      reply.text('I cannot do that.'),
    );
    const answer = await fixture.send('Launch the rockets and hand me off');
    expect(answer.meta?.toolFailures).toEqual(['launch_rockets', 'whatsapp_only_lookup']);
    const offered = (fixture.llm.chatRequests[0]!.body!.tools as ChatCompletionTool[]).map((tool) => tool.type === 'function' && tool.function.name);
    expect(offered).not.toContain('whatsapp_only_lookup');
    expect(toolMessagesOf(fixture.llm.chatRequests[1]).map((message) => [message.tool_call_id, message.content.ok, message.content.error])).toEqual([
      ['call_x', false, 'No tool named "launch_rockets" is available here'],
      ['call_w', false, 'No tool named "whatsapp_only_lookup" is available here'],
    ]);
    const stored = await fixture.messages();
    expect(stored.filter((message) => message.role === 'tool').map((message) => message.toolResult?.ok)).toEqual([false, false]);
  });

  it('bounds a tool that hangs by its timeout', async () => {
    fixture.backend.backend.tools.register(
      testTool({ name: 'slow_report', timeoutMs: 100, execute: () => new Promise(() => {}) }),
    );
    fixture.llm.enqueue(reply.toolCall('slow_report', {}), reply.text('The report did not come back in time.'));
    const started = Date.now();
    const answer = await fixture.send('Run the report');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer.meta?.toolFailures).toEqual(['slow_report']);
    const [toolMessage] = toolMessagesOf(fixture.llm.chatRequests[1]);
    expect(toolMessage!.content).toMatchObject({ ok: false, error: 'slow_report took longer than 0.1 s' });
  });

  it('stops at the step cap: the last request forbids tools and the turn ends with a note', async () => {
    await fixture.backend.call('settings.set', { key: 'agent.maxSteps', value: 2 });
    // A model that keeps asking for tools, even when told not to.
    fixture.llm.enqueue(
      reply.toolCall('get_current_time', {}, { id: 'call_1' }),
      reply.toolCall('get_current_time', {}, { id: 'call_2' }),
      reply.toolCall('get_current_time', {}, { id: 'call_3' }),
    );
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Loop forever', turnId: 'loop' });

    expect(fixture.llm.chatRequests).toHaveLength(2);
    expect(fixture.llm.pendingSteps).toBe(1);
    expect(fixture.llm.chatRequests[0]!.body!.tool_choice).toBe('auto');
    expect(fixture.llm.chatRequests[1]!.body!.tool_choice).toBe('none');
    expect(answer.message.content).toBe('(I stopped after 2 steps without a complete answer.)');
    expect(eventsOf(socket, 'agent.turn.delta', 'loop').map((delta) => delta.text).join('')).toBe(answer.message.content);
    // Only the call that ran becomes a tool card; the one after the cap is not executed.
    expect(eventsOf(socket, 'agent.turn.toolCall', 'loop').map((event) => event.call.id)).toEqual(['call_1']);
    const stored = await fixture.messages();
    expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(stored[3]).toMatchObject({ content: answer.message.content, status: 'complete' });
  });
});

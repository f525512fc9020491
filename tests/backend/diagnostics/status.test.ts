import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentActivity } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { diagnosticsSocket } from './diagnostics-fixture';

describe('the agent’s activity for the shell’s status indicator', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('goes thinking → calling a tool → thinking → idle during a turn, on the diagnostics.status topic', async () => {
    const socket = await diagnosticsSocket(fixture.backend);
    expect((await fixture.backend.call('diagnostics.status', {})).activity).toEqual({ state: 'idle', turns: 0, tools: [] });
    fixture.llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'UTC' }, { firstTokenDelayMs: 200 }), reply.text('It is noon.', { firstTokenDelayMs: 200 }));
    const answered = fixture.send('What time is it?');
    const during = await socket.waitForFrame(
      (frame) => frame.kind === 'event' && frame.event === 'diagnostics.status.changed' && (frame.data as { activity: AgentActivity }).activity.state === 'thinking',
      'thinking',
    );
    expect((during as { data: { activity: AgentActivity } }).data.activity).toEqual({ state: 'thinking', turns: 1, tools: [] });
    await answered;
    await socket.waitForFrame((frame) => frame.kind === 'event' && frame.event === 'diagnostics.status.changed' && (frame.data as { activity: AgentActivity }).activity.state === 'idle', 'idle');

    const states = eventsOf(socket, 'diagnostics.status.changed').map((status) => status.activity.state);
    // Consecutive repeats are never sent: only changes are news.
    expect(states.filter((state, index) => state !== states[index - 1])).toEqual(states);
    expect(states.slice(states.indexOf('thinking'))).toEqual(['thinking', 'tool', 'thinking', 'idle']);
    expect(eventsOf(socket, 'diagnostics.status.changed').find((status) => status.activity.state === 'tool')!.activity.tools).toEqual(['get_current_time']);
  });
});

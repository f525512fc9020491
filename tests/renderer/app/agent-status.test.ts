import { describe, expect, it } from 'vitest';
import type { DiagnosticsStatus } from '#protocol';
import { agentStatus } from '../../../renderer/src/app/agent-status';

const voiceOff = { session: 'off', state: 'idle', talking: false, mode: 'push-to-talk' } as const;
const backend = (state: DiagnosticsStatus['activity']['state'], tools: string[] = [], unhealthy: DiagnosticsStatus['unhealthy'] = []): DiagnosticsStatus => ({
  activity: { state, turns: state === 'idle' ? 0 : 1, tools },
  unhealthy,
  checkedAt: null,
});

describe('the shell’s agent status', () => {
  it('is idle with nothing going on, and says which tool is being called', () => {
    expect(agentStatus(voiceOff, undefined)).toEqual({ state: 'idle', label: 'Idle', unhealthy: [] });
    expect(agentStatus(voiceOff, backend('thinking')).label).toBe('Thinking');
    expect(agentStatus(voiceOff, backend('tool', ['query_shop', 'search_documents'])).label).toBe('Calling a tool: query_shop, search_documents');
  });

  it('follows this console’s voice stream: listening, transcribing, speaking', () => {
    expect(agentStatus({ session: 'on', state: 'listening', talking: false, mode: 'hands-free' }, backend('idle')).state).toBe('listening');
    expect(agentStatus({ session: 'on', state: 'idle', talking: true, mode: 'push-to-talk' }, backend('idle')).state).toBe('listening');
    expect(agentStatus({ session: 'on', state: 'idle', talking: false, mode: 'push-to-talk' }, backend('idle')).state).toBe('idle');
    expect(agentStatus({ session: 'on', state: 'transcribing', talking: false, mode: 'hands-free' }, backend('idle')).state).toBe('transcribing');
    // Speaking wins over the agent still writing the rest of the answer.
    expect(agentStatus({ session: 'on', state: 'speaking', talking: false, mode: 'hands-free' }, backend('thinking')).state).toBe('speaking');
    // A tool call during a voice turn shows as such, and a WhatsApp turn shows while the microphone listens.
    expect(agentStatus({ session: 'on', state: 'thinking', talking: false, mode: 'hands-free' }, backend('tool', ['get_current_time'])).state).toBe('tool');
    expect(agentStatus({ session: 'on', state: 'listening', talking: false, mode: 'hands-free' }, backend('thinking')).state).toBe('thinking');
    // A stream the backend still reports after the console closed it does not count.
    expect(agentStatus({ session: 'off', state: 'speaking', talking: false, mode: 'hands-free' }, backend('idle')).state).toBe('idle');
  });

  it('carries the components in trouble for the red dot', () => {
    expect(agentStatus(voiceOff, backend('idle', [], [{ component: 'llm:openai', detail: 'connection refused' }])).unhealthy).toEqual([{ component: 'llm:openai', detail: 'connection refused' }]);
  });
});

import type { AgentActivity, DiagnosticsStatus } from '#protocol';
import type { VoiceView } from '../voice/voice-view';

export type AgentStatusState = 'idle' | 'listening' | 'transcribing' | 'thinking' | 'tool' | 'speaking';

export interface AgentStatus {
  state: AgentStatusState;
  label: string;
  /** Components whose last check failed. */
  unhealthy: DiagnosticsStatus['unhealthy'];
}

const labels: Record<AgentStatusState, string> = {
  idle: 'Idle',
  listening: 'Listening',
  transcribing: 'Transcribing',
  thinking: 'Thinking',
  tool: 'Calling a tool',
  speaking: 'Speaking',
};

/**
 * What the shell's indicator says: this console's own voice stream (listening, transcribing,
 * speaking) combined with the backend's activity across channels (thinking, calling a tool), the
 * most telling first: audio coming out or being transcribed, then a tool, then thinking, then an
 * open microphone.
 */
export function agentStatus(voice: Pick<VoiceView, 'session' | 'state' | 'talking' | 'mode'>, backend: DiagnosticsStatus | undefined): AgentStatus {
  const activity: AgentActivity['state'] = backend?.activity.state ?? 'idle';
  const voiceOn = voice.session === 'on';
  const voiceState = voiceOn ? voice.state : 'idle';
  const listening = voiceOn && (voiceState === 'listening' || (voice.mode === 'push-to-talk' && voice.talking));
  const state: AgentStatusState =
    voiceState === 'speaking' ? 'speaking'
    : voiceState === 'transcribing' ? 'transcribing'
    : activity === 'tool' ? 'tool'
    : activity === 'thinking' || voiceState === 'thinking' ? 'thinking'
    : listening ? 'listening'
    : 'idle';
  const tools = backend?.activity.tools ?? [];
  return { state, label: state === 'tool' && tools.length > 0 ? `${labels.tool}: ${tools.join(', ')}` : labels[state], unhealthy: backend?.unhealthy ?? [] };
}

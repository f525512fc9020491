import type { VoiceLatency } from '#protocol';

export interface LatencyPart {
  label: string;
  /** What the step measures, for the tooltip. */
  description: string;
  ms: number;
}

/** The steps of one voice turn that the backend timed, in the order they happen. */
export function latencyParts(latency: VoiceLatency): LatencyPart[] {
  const parts: LatencyPart[] = [{ label: 'speech→text', description: 'End of speech to final transcript', ms: latency.transcribeMs }];
  if (latency.firstTokenMs !== undefined) parts.push({ label: 'text→token', description: 'Final transcript to the first token of the answer', ms: latency.firstTokenMs });
  if (latency.firstAudioMs !== undefined) parts.push({ label: 'token→audio', description: 'First token to the first audio sample sent', ms: latency.firstAudioMs });
  return parts;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

import type { VoiceTurnSummary } from './voice-view';
import { formatMs, latencyParts } from './latency';

/** One voice turn's timings: end of speech → final transcript → first token → first audio. */
export function LatencyBreakdown({ turn }: { turn: VoiceTurnSummary }) {
  const { totalMs } = turn.latency;
  return (
    <dl className="voice-latency" aria-label="Last voice turn timings" data-testid="voice-latency">
      {latencyParts(turn.latency).map((part) => (
        <div key={part.label} title={part.description}>
          <dt>{part.label}</dt>
          <dd>{formatMs(part.ms)}</dd>
        </div>
      ))}
      {totalMs !== undefined && (
        <div title="End of speech to the first audio sample out" className="voice-latency-total">
          <dt>total</dt>
          <dd>{formatMs(totalMs)}</dd>
        </div>
      )}
    </dl>
  );
}

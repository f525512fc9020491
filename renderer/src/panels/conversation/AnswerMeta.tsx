import type { AnswerMeta as Meta } from '#protocol';
import { formatMs } from './format';

/** Which model answered (and which failed first), what it cost, how long it took, what it is based on. */
export function AnswerMeta({ meta }: { meta: Meta }) {
  const tokens = [
    meta.promptTokens !== undefined ? `${meta.promptTokens} prompt` : null,
    meta.completionTokens !== undefined ? `${meta.completionTokens} completion` : null,
  ].filter(Boolean);
  return (
    <div className="answer-meta" data-testid="answer-meta">
      <ul className="meta-facts">
        <li title="Model">
          {meta.providerId}/{meta.model}
        </li>
        {meta.fallbacks.length > 0 && (
          <li className="meta-fallback" title={meta.fallbacks.map((f) => `${f.providerId}/${f.model}: ${f.error}`).join('\n')}>
            fallback from {meta.fallbacks.map((f) => `${f.providerId}/${f.model}`).join(', ')}
          </li>
        )}
        {tokens.length > 0 && <li>tokens: {tokens.join(' / ')}</li>}
        {meta.timeToFirstTokenMs !== undefined && <li>first token {formatMs(meta.timeToFirstTokenMs)}</li>}
        <li>total {formatMs(meta.totalMs)}</li>
      </ul>
      {meta.sources.length > 0 && <div className="meta-sources">based on: {meta.sources.join(', ')}</div>}
      {meta.toolFailures.length > 0 && <div className="meta-failures">tool failed: {meta.toolFailures.join(', ')}</div>}
    </div>
  );
}

import { useMemo } from 'react';
import type { AnswerMeta as Meta, Message } from '#protocol';
import { AnswerMeta } from './AnswerMeta';
import { answerCitations } from './citations';
import { CopyButton } from './CopyButton';
import { Markdown } from './Markdown';
import type { ToolExchange } from './message-groups';
import { ToolCard } from './ToolCard';

export interface AnswerViewProps {
  text: string;
  tools: ToolExchange[];
  meta?: Meta;
  status?: Message['status'];
  /** Set while the answer is still being written. */
  live?: { model?: string; fallbackFrom: string[]; stopping: boolean };
  onRegenerate?: () => void;
}

export function AnswerView({ text, tools, meta, status, live, onRegenerate }: AnswerViewProps) {
  const waiting = live && !text && tools.every((tool) => tool.result);
  // The passages search_documents found for this answer: its citations of them become links.
  const citations = useMemo(() => answerCitations(tools), [tools]);
  return (
    <article className={`answer${live ? ' answer-live' : ''}`} aria-label="Answer" aria-busy={live ? true : undefined} data-testid="answer">
      {live && (live.model || live.fallbackFrom.length > 0) && (
        <div className="answer-live-model">
          {live.model}
          {live.fallbackFrom.length > 0 && <span className="meta-fallback"> (fallback from {live.fallbackFrom.join(', ')})</span>}
        </div>
      )}
      {tools.length > 0 && (
        <div className="tool-cards">
          {tools.map((tool) => (
            <ToolCard key={tool.call.id} tool={tool} />
          ))}
        </div>
      )}
      {text && <Markdown text={text} citations={citations} />}
      {waiting && <p className="thinking">{live.stopping ? 'Stopping…' : 'Thinking…'}</p>}
      {status === 'cancelled' && <p className="answer-status">Stopped before the answer was complete.</p>}
      {status === 'failed' && <p className="answer-status answer-failed">This answer failed{text ? ' part-way' : ''}.</p>}
      {!live && (
        <footer className="answer-footer">
          {meta && <AnswerMeta meta={meta} />}
          <div className="answer-actions">
            <CopyButton text={text} />
            {onRegenerate && (
              <button type="button" className="small" onClick={onRegenerate}>
                Regenerate
              </button>
            )}
          </div>
        </footer>
      )}
    </article>
  );
}

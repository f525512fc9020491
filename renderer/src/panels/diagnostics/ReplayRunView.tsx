import type { ReplayAnswerSide, ReplayResult, ReplayRun } from '#protocol';
import { replayExportPath } from '#protocol';
import { reportError } from '../../errors';
import { downloadFromBackend } from './download';

/** One run: its scores, its exports, and every turn side by side with the original. */
export function ReplayRunView({ run, results }: { run: ReplayRun; results: ReplayResult[] }) {
  const exportAs = (format: 'csv' | 'json') => void downloadFromBackend(replayExportPath(run.id, format), `parley-replay-${run.id}.${format}`).catch((error: unknown) => reportError('Replay export', error));
  return (
    <div className="diag-replay-run" data-testid="replay-run">
      <div className="section-header">
        <p data-testid="replay-summary">
          <strong>{describeStatus(run)}</strong> · tools matched {run.toolsMatched}/{run.doneTurns} · grounding kept {run.groundingKept}/{run.groundedOriginals} · failed {run.failedTurns}
          {run.error ? ` · ${run.error}` : ''}
        </p>
        <div className="inline-row">
          <button type="button" onClick={() => exportAs('csv')} disabled={results.length === 0}>
            Export CSV
          </button>
          <button type="button" onClick={() => exportAs('json')} disabled={results.length === 0}>
            Export JSON
          </button>
        </div>
      </div>
      <progress max={run.totalTurns} value={run.doneTurns} aria-label="Replay progress" />
      <table className="components diag-replay-table" aria-label="Original and replayed answers">
        <thead>
          <tr>
            <th scope="col">Turn</th>
            <th scope="col">Original</th>
            <th scope="col">Replay</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={`${result.conversationId}-${result.turnIndex}`}>
              <td>
                <div className="hint">
                  {result.conversationTitle} #{result.turnIndex + 1}
                </div>
                {result.userText}
              </td>
              <td>
                <AnswerSide side={result.original} />
              </td>
              <td>
                <AnswerSide side={result.replay} />
              </td>
              <td>
                <ul className="diag-scores">
                  <li className={result.toolsMatch ? 'good' : 'bad'}>tools {result.toolsMatch ? 'match' : 'differ'}</li>
                  <li className={result.groundingKept === false ? 'bad' : 'good'}>{result.groundingKept === null ? 'no sources to keep' : result.groundingKept ? 'grounding kept' : 'grounding lost'}</li>
                  <li>{result.latencyDeltaMs === null ? 'latency: –' : `${result.latencyDeltaMs > 0 ? '+' : ''}${result.latencyDeltaMs} ms`}</li>
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AnswerSide({ side }: { side: ReplayAnswerSide }) {
  return (
    <div className="diag-answer">
      <div className="hint">
        {side.model ?? 'no model'} · {side.totalMs === null ? '–' : `${Math.round(side.totalMs)} ms`}
        {side.tools.length > 0 ? ` · tools: ${side.tools.join(', ')}` : ''}
        {side.sources.length > 0 ? ` · ${side.sources.length} source(s)` : ''}
      </div>
      {side.status === 'complete' ? side.text : <span className="warn-text">{side.error ?? side.status}</span>}
    </div>
  );
}

export function describeStatus(run: ReplayRun): string {
  switch (run.status) {
    case 'queued':
      return 'Waiting to start';
    case 'running':
      return `Replaying ${run.doneTurns}/${run.totalTurns}`;
    case 'done':
      return `Done: ${run.doneTurns} turn(s)`;
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return `Cancelled after ${run.doneTurns}/${run.totalTurns}`;
  }
}

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ParleyError, type QueryResult } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { toCsv } from './csv';
import { databaseKeys } from './databases-queries';
import { ResultChart } from './ResultChart';
import { ResultTable } from './ResultTable';

interface Props {
  connection: string;
  sql: string;
  onSqlChange(sql: string): void;
}

const PANEL_MAX_ROWS = 100_000;

/** One read-only SELECT, through the same guard as the agent's: a refusal shows its reason. */
export function QueryBox({ connection, sql, onSqlChange }: Props) {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<QueryResult | null>(null);
  const [failure, setFailure] = useState<ParleyError | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    setFailure(null);
    try {
      setResult(await controlClient.request('databases.query', { connection, sql, maxRows: PANEL_MAX_ROWS }, { timeoutMs: 10 * 60_000 }));
    } catch (error) {
      setResult(null);
      setFailure(error instanceof ParleyError ? error : new ParleyError('internal', String(error)));
    } finally {
      setRunning(false);
      void queryClient.invalidateQueries({ queryKey: databaseKeys.history(connection) });
    }
  };

  const exportCsv = () => {
    if (!result) return;
    const url = URL.createObjectURL(new Blob([toCsv(result.columns, result.rows)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${connection}-result.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="card" aria-labelledby="db-query-title">
      <h2 id="db-query-title">Query</h2>
      <textarea
        aria-label="SQL"
        className="db-sql"
        rows={5}
        value={sql}
        spellCheck={false}
        placeholder="SELECT … (read-only: one statement)"
        onChange={(event) => onSqlChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void run();
          }
        }}
      />
      <div className="form-actions">
        <button type="button" onClick={() => void run()} disabled={!connected || running || !sql.trim()}>
          {running ? 'Running…' : 'Run (Ctrl+Enter)'}
        </button>
        {result && (
          <button type="button" onClick={exportCsv}>
            Export CSV
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {failure && (
          <div className="diagnosis diagnosis-bad" data-testid="query-error">
            <span className="badge badge-degraded">{failure.code === 'forbidden' ? 'refused' : failure.code}</span> {failure.message}
            {failure.hint && <div className="hint">{failure.hint}</div>}
          </div>
        )}
        {result && (
          <p className="hint" data-testid="query-summary">
            {result.rowCount.toLocaleString()} row{result.rowCount === 1 ? '' : 's'} in {result.ms} ms{result.truncated ? ' — truncated at the row cap' : ''}
          </p>
        )}
      </div>
      {result && result.columns.length > 0 && (
        <>
          <ResultTable result={result} />
          <ResultChart result={result} />
        </>
      )}
    </section>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { ParleyError, type QueryResult } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { ResultChart } from '../../query-results/ResultChart';
import { databaseKeys } from './databases-queries';
import { downloadCsvExport } from './download-export';
import { ResultTable } from './ResultTable';

interface Props {
  connection: string;
  sql: string;
  onSqlChange(sql: string): void;
  /** Set when the SQL came from elsewhere (a result under an answer) to be run at once; cleared by `onRunRequestTaken`. */
  runRequest?: number;
  onRunRequestTaken?(): void;
}

const PANEL_MAX_ROWS = 100_000;

/** One read-only SELECT, through the same guard as the agent's: a refusal shows its reason. */
export function QueryBox({ connection, sql, onSqlChange, runRequest, onRunRequestTaken }: Props) {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<{ sql: string; page: QueryResult } | null>(null);
  const [failure, setFailure] = useState<ParleyError | null>(null);
  const [running, setRunning] = useState(false);
  const [exporting, setExporting] = useState(false);

  const run = async (text = sql) => {
    setRunning(true);
    setFailure(null);
    try {
      setResult({ sql: text, page: await controlClient.request('databases.query', { connection, sql: text, maxRows: PANEL_MAX_ROWS }, { timeoutMs: 10 * 60_000 }) });
    } catch (error) {
      setResult(null);
      setFailure(error instanceof ParleyError ? error : new ParleyError('internal', String(error)));
    } finally {
      setRunning(false);
      void queryClient.invalidateQueries({ queryKey: databaseKeys.history(connection) });
    }
  };

  // A query opened from a result under an answer runs at once, once (a ref: strict mode runs effects twice).
  const ranRequest = useRef<number | undefined>(undefined);
  // An effect event: it reads the current SQL and callbacks, but only a new request makes it run.
  const takeRunRequest = useEffectEvent((request: number | undefined) => {
    if (request === undefined || ranRequest.current === request || !sql.trim()) return;
    ranRequest.current = request;
    onRunRequestTaken?.();
    void run(sql);
  });
  useEffect(() => takeRunRequest(runRequest), [runRequest]);

  // The whole result, streamed by the backend past the panel's row cap, of the query that produced the table.
  const exportCsv = async () => {
    if (!result) return;
    setExporting(true);
    try {
      await downloadCsvExport(connection, result.sql);
    } catch (error) {
      reportError('CSV export', error);
    } finally {
      setExporting(false);
      void queryClient.invalidateQueries({ queryKey: databaseKeys.history(connection) });
    }
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
          <button type="button" onClick={() => void exportCsv()} disabled={!connected || exporting} title="Every row of the result, not only those shown">
            {exporting ? 'Exporting…' : 'Export CSV'}
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
            {result.page.rowCount.toLocaleString()} row{result.page.rowCount === 1 ? '' : 's'} in {result.page.ms} ms{result.page.truncated ? ' — truncated at the row cap (Export CSV has them all)' : ''}
          </p>
        )}
      </div>
      {result && result.page.columns.length > 0 && (
        <>
          <ResultTable result={result.page} />
          <ResultChart result={result.page} />
        </>
      )}
    </section>
  );
}

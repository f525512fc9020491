import { lazy, Suspense, useMemo } from 'react';
import type { ToolCall, ToolResult } from '#protocol';
import { cellText } from '../../../query-results/cell-text';
import { chartShapeOf } from '../../../query-results/chart-shape';
import { openInDatabases } from '../../../query-results/open-in-databases';
import '../../../query-results/query-results.css';
import { databaseQueryOf } from './database-query-result';

// chart.js loads with the first result that has something to draw, not with the conversation.
const ResultChart = lazy(async () => ({ default: (await import('../../../query-results/ResultChart')).ResultChart }));

const PREVIEW_ROWS = 10;

/** The rows an answer was built on: the first ones as a table, a chart when they have a measure, and the way to all of them. */
export function DatabaseQueryView({ call, result }: { call: ToolCall; result: ToolResult }) {
  const outcome = useMemo(() => databaseQueryOf(call, result), [call, result]);
  const chartable = useMemo(() => (outcome ? chartShapeOf(outcome.data.columns, outcome.data.rows) !== null : false), [outcome]);
  if (!outcome) return null;
  const { data, sql } = outcome;
  const preview = data.rows.slice(0, PREVIEW_ROWS);
  const hidden = data.rowCount - preview.length;
  return (
    <section className="result-preview" aria-label={`Result from ${data.connection}`} data-testid="result-preview">
      <div className="inline-row">
        <span className="hint" data-testid="result-preview-summary">
          {data.rowCount.toLocaleString()} row{data.rowCount === 1 ? '' : 's'} from {data.connection}
          {data.truncated ? ' (cut at the row cap)' : ''}
          {hidden > 0 ? ` — the first ${preview.length} shown` : ''}
        </span>
        <button type="button" className="link-button" onClick={() => openInDatabases(data.connection, sql)}>
          Open in Databases
        </button>
      </div>
      {data.columns.length > 0 && (
        <div className="result-preview-table">
          <table aria-label={`First rows from ${data.connection}`}>
            <thead>
              <tr>
                {data.columns.map((column, index) => (
                  <th scope="col" key={`${column}-${index}`}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((value, column) => (
                    <td key={column} className={value === null ? 'result-null' : undefined} title={cellText(value)}>
                      {cellText(value)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chartable && (
        <Suspense fallback={<p className="hint">Loading the chart…</p>}>
          {data.rowsShown < data.rowCount && <span className="hint">The chart draws the first {data.rowsShown} rows.</span>}
          <ResultChart result={{ columns: data.columns, rows: data.rows, rowCount: data.rowsShown, truncated: data.truncated, ms: data.ms }} />
        </Suspense>
      )}
    </section>
  );
}

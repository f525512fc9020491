import type { DatabaseQueryToolData, QueryResult } from '#protocol';

/** The model reads at most this many rows; the operator sees all of them under the answer's link. */
const MODEL_ROWS = 50;
/** And at most about this much of them, so the whole tool result stays under the loop's 16,000 characters. */
const MODEL_ROWS_CHARS = 9_000;
const MODEL_CELL_CHARS = 500;

/**
 * What the agent's query tool gives back: the columns, the first rows (a budget in rows and in
 * characters, long text cells shortened), how many rows there were and whether the cap cut them,
 * and a note telling the model when it holds only part of them, so that it summarises honestly or
 * asks the database for an aggregate instead.
 */
export function queryToolData(connection: string, dialect: string, result: QueryResult): DatabaseQueryToolData {
  const rows: unknown[][] = [];
  let chars = 0;
  for (const row of result.rows) {
    if (rows.length === MODEL_ROWS) break;
    const shortened = row.map(shortenCell);
    chars += JSON.stringify(shortened).length + 1;
    if (chars > MODEL_ROWS_CHARS) break;
    rows.push(shortened);
  }
  const data: DatabaseQueryToolData = { connection, dialect, columns: result.columns, rows, rowCount: result.rowCount, truncated: result.truncated, rowsShown: rows.length, ms: result.ms };
  const notes: string[] = [];
  if (rows.length < result.rowCount) notes.push(`Only the first ${rows.length} of the ${result.rowCount} rows are listed here; the operator sees them all in the table under your answer.`);
  if (result.truncated) notes.push(`The query returned more than the row cap (${result.rowCount}); the rest were not read.`);
  if (notes.length > 0) notes.push('For totals, counts or rankings over all rows, run a query with an aggregate (COUNT, SUM, GROUP BY ... ORDER BY ... LIMIT) instead of counting these.');
  return notes.length > 0 ? { ...data, note: notes.join(' ') } : data;
}

function shortenCell(value: unknown): unknown {
  return typeof value === 'string' && value.length > MODEL_CELL_CHARS ? `${value.slice(0, MODEL_CELL_CHARS)}… (${value.length} characters)` : value;
}

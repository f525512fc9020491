export type ChartKind = 'bar' | 'line' | 'pie';

export interface ChartShape {
  /** The kinds this result can be drawn as; the first is the suggestion. */
  kinds: ChartKind[];
  labelColumn: number;
  valueColumns: number[];
}

const DATE_LIKE = /^\d{4}-\d{2}(-\d{2})?([T ][\d:.]+Z?)?$/;
const MAX_PIE_SLICES = 8;

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

/**
 * Which charts a result's shape allows: a label column and at least one numeric column. Dates or
 * ordered numbers as labels suggest a line; few rows with one measure suggest a pie; else bars.
 * null when there is nothing to draw (one column, no number, no rows).
 */
export function chartShapeOf(columns: readonly string[], rows: readonly (readonly unknown[])[]): ChartShape | null {
  if (columns.length < 2 || rows.length === 0) return null;
  const numericColumns = columns.map((_name, index) => index).filter((index) => rows.every((row) => row[index] === null || isNumeric(row[index])) && rows.some((row) => row[index] !== null));
  const labelColumn = columns.findIndex((_name, index) => !numericColumns.includes(index));
  const label = labelColumn === -1 ? 0 : labelColumn;
  const values = numericColumns.filter((index) => index !== label);
  if (values.length === 0) return null;
  const datesAsLabels = rows.every((row) => typeof row[label] === 'string' && DATE_LIKE.test(row[label]));
  const kinds: ChartKind[] = datesAsLabels || labelColumn === -1 ? ['line', 'bar'] : ['bar', 'line'];
  const allPositive = rows.every((row) => Number(row[values[0]!]) >= 0);
  if (values.length === 1 && rows.length <= MAX_PIE_SLICES && allPositive) {
    if (!datesAsLabels) kinds.unshift('pie');
    else kinds.push('pie');
  }
  return { kinds, labelColumn: label, valueColumns: values };
}

/** One line of `npm run bench`: a measurement, its baseline from the same run, and the goal. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baselineName?: string;
  baseline?: number;
  goal?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['measurement', 'value', 'baseline (same run)', 'ratio', 'goal'];
  const lines = rows.map((row) => [
    row.name,
    `${format(row.value)} ${row.unit}`,
    row.baseline === undefined ? '–' : `${format(row.baseline)} ${row.unit} (${row.baselineName})`,
    row.baseline === undefined || row.baseline === 0 ? '–' : `${(row.value / row.baseline).toFixed(2)}×`,
    row.goal ?? '–',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => '| ' + cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ') + ' |';
  return [render(header), '|' + widths.map((width) => '-'.repeat(width + 2)).join('|') + '|', ...lines.map(render)].join('\n');
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

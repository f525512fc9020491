import Chart from 'chart.js/auto';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { QueryResult } from '#protocol';
import { chartShapeOf, type ChartKind } from './chart-shape';
import './query-results.css';

const MAX_POINTS = 500;

/** A chart chosen from the result's shape (bar, line or pie), switchable; nothing when the rows have no measure. */
export function ResultChart({ result }: { result: QueryResult }) {
  const shape = useMemo(() => chartShapeOf(result.columns, result.rows.slice(0, MAX_POINTS)), [result]);
  const [chosen, setChosen] = useState<ChartKind | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const kind = shape && chosen && shape.kinds.includes(chosen) ? chosen : shape?.kinds[0];

  useEffect(() => {
    if (!shape || !kind || !canvas.current) return;
    const rows = result.rows.slice(0, MAX_POINTS);
    const values = kind === 'pie' ? shape.valueColumns.slice(0, 1) : shape.valueColumns;
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels: rows.map((row) => String(row[shape.labelColumn] ?? 'NULL')),
        datasets: values.map((column) => ({ label: result.columns[column], data: rows.map((row) => Number(row[column])) })),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [result, shape, kind]);

  if (!shape) return <p className="hint">No chart: the result needs a label and a numeric column.</p>;
  return (
    <div className="db-chart">
      <div className="inline-row" role="group" aria-label="Chart type">
        {shape.kinds.map((option) => (
          <button key={option} type="button" aria-pressed={option === kind} onClick={() => setChosen(option)}>
            {option}
          </button>
        ))}
        {result.rows.length > MAX_POINTS && <span className="hint">first {MAX_POINTS} rows charted</span>}
      </div>
      <div className="db-chart-canvas">
        <canvas ref={canvas} data-testid="result-chart" data-kind={kind} />
      </div>
    </div>
  );
}
